package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import io.github.hpcorchestrator.tls.PinnedTrust;
import javax.net.ssl.SSLContext;

/** Builds the HTTP client of a run (TLS trust, HTTP/1.1) and each request's message from its prompt. */
final class RequestFactory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClientPlan.Workload workload;
  private final URI uri;
  private final Optional<String> authorization;
  private final Duration timeout;

  private RequestFactory(ClientPlan.Workload workload, URI uri, Optional<String> authorization) {
    this.workload = workload;
    this.uri = uri;
    this.authorization = authorization;
    this.timeout = Duration.ofNanos((long) (workload.timeoutSeconds() * 1e9));
  }

  /** The factory for {@code plan}; the password and CA files are read relative to {@code jobDir}. */
  static RequestFactory of(ClientPlan plan, Path jobDir) throws BadPlanException {
    ClientPlan.Target t = plan.target();
    Optional<String> auth = Optional.empty();
    if (t.username().isPresent()) {
      String password = t.passwordFile().isPresent()
          ? read(jobDir.resolve(t.passwordFile().get()), t.passwordFile().get()) : "";
      auth = Optional.of("Basic " + Base64.getEncoder()
          .encodeToString((t.username().get() + ":" + password.strip()).getBytes(StandardCharsets.UTF_8)));
    }
    String base = t.url().endsWith("/") ? t.url().substring(0, t.url().length() - 1) : t.url();
    return new RequestFactory(plan.workload(), URI.create(base + plan.workload().path()), auth);
  }

  private static String read(Path file, String name) throws BadPlanException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadPlanException(name, "target.password_file", "a readable file", "none at " + file);
    }
  }

  /** An HTTP/1.1 client trusting only the plan's CA file's certificates where it names one (see PinnedTrust). */
  static HttpClient client(ClientPlan plan, Path jobDir, Executor executor) throws BadPlanException {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofNanos((long) (plan.workload().timeoutSeconds() * 1e9)))
        .followRedirects(HttpClient.Redirect.NEVER).executor(executor);
    if (plan.target().caFile().isPresent()) {
      b.sslContext(trusting(jobDir.resolve(plan.target().caFile().get()), plan.target().caFile().get()));
    }
    return b.build();
  }

  private static SSLContext trusting(Path pem, String name) throws BadPlanException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> pinned = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        pinned.add((X509Certificate) c);
      }
      if (pinned.isEmpty()) {
        throw new BadPlanException(name, "target.ca_file", "a PEM certificate", "no certificate");
      }
      return PinnedTrust.context(pinned);
    } catch (IOException | GeneralSecurityException e) {
      throw new BadPlanException(name, "target.ca_file", "a readable PEM certificate", e.getClass().getSimpleName());
    }
  }

  /** The request carrying {@code prompt}. */
  HttpRequest request(PromptSource.Prompt prompt) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    for (Map.Entry<String, String> h : workload.headers() == null ? Map.<String, String>of().entrySet()
        : workload.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    authorization.ifPresent(a -> b.header("Authorization", a));
    if (workload.type().equals("http")) {
      String method = workload.method().orElse("GET");
      HttpRequest.BodyPublisher body = workload.body().isPresent()
          ? HttpRequest.BodyPublishers.ofString(workload.body().get().replace("{{prompt}}", prompt.text()))
          : HttpRequest.BodyPublishers.noBody();
      return b.method(method, body).build();
    }
    return b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(llmBody(prompt))).build();
  }

  private String llmBody(PromptSource.Prompt prompt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", workload.model().orElse(""));
    boolean chat = workload.path().endsWith("/chat") || workload.path().endsWith("/chat/completions");
    if (chat) {
      body.putArray("messages").addObject().put("role", "user").put("content", prompt.text());
    } else {
      body.put("prompt", prompt.text());
    }
    body.put("stream", true);
    Optional<Integer> max = prompt.maxTokens().or(workload::maxTokens);
    if (workload.type().equals("ollama")) {
      ObjectNode options = body.putObject("options");
      max.ifPresent(m -> options.put("num_predict", m));
      workload.temperature().ifPresent(t -> options.put("temperature", t));
    } else {
      max.ifPresent(m -> body.put("max_tokens", m));
      workload.temperature().ifPresent(t -> body.put("temperature", t));
      body.putObject("stream_options").put("include_usage", true);
    }
    return body.toString();
  }
}
