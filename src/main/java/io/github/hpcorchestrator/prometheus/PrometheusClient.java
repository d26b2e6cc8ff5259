package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Talks to one Prometheus server's HTTP API. Every failure surfaces as an
 * {@link OperationFailedException} with a one-line message: PromQL errors as
 * {@code PromQL error (type): words}, unreachable servers as
 * {@code Prometheus at URI not reachable: why}. Thread-safe.
 *
 * <p>Built on {@link HttpURLConnection} (kept-alive connections, no background thread): the JDK's
 * HttpClient keeps a selector thread waiting in native code, and the JVM waits about 300 ms for such
 * a thread when it exits, which every short CLI call would pay.
 */
public final class PrometheusClient {

  /** Connect timeout of {@link #of(URI)}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Whole-request timeout of {@link #of(URI)}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final Optional<BasicAuth> auth;
  private final Optional<javax.net.ssl.SSLContext> tls;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param baseUri the server's root, e.g. {@code http://127.0.0.1:9090}; a path prefix (for a
   *     Prometheus behind a proxy) is kept
   * @param auth basic credentials sent with every request, if any
   * @param connectTimeout how long to wait for the TCP connection
   * @param requestTimeout how long the server may stay silent before a request gives up
   */
  public PrometheusClient(URI baseUri, Optional<BasicAuth> auth, Duration connectTimeout, Duration requestTimeout) {
    this(baseUri, auth, Optional.empty(), connectTimeout, requestTimeout);
  }

  /**
   * @param tls the SSL context for an https base URI (e.g. one that pins the server's certificate)
   */
  public PrometheusClient(URI baseUri, Optional<BasicAuth> auth, Optional<javax.net.ssl.SSLContext> tls,
      Duration connectTimeout, Duration requestTimeout) {
    String text = baseUri.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.auth = auth;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /**
   * A client for a Prometheus at {@code host:port}: plain HTTP, or with {@code credentials} HTTPS
   * pinned to its certificate plus basic auth.
   */
  public static PrometheusClient at(String host, int port, Optional<PrometheusCredentials> credentials) {
    if (credentials.isEmpty()) {
      return of(URI.create("http://" + host + ":" + port));
    }
    return new PrometheusClient(URI.create("https://" + host + ":" + port), Optional.of(credentials.get().basicAuth()),
        Optional.of(credentials.get().pinnedContext()), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  /** A client without credentials and with the default timeouts. */
  public static PrometheusClient of(URI baseUri) {
    return new PrometheusClient(baseUri, Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  /** The server's root URI, without a trailing slash. */
  public URI baseUri() {
    return URI.create(base);
  }

  /** Evaluates {@code promql} at the server's current time ({@code /api/v1/query}). */
  public QueryResult query(String promql) {
    return QueryResult.fromResponse(getJson("/api/v1/query", Map.of("query", promql)));
  }

  /**
   * Evaluates {@code promql} over {@code [start, end]} every {@code step} ({@code /api/v1/query_range}).
   *
   * @throws IllegalArgumentException if {@code step} is not positive
   */
  public QueryResult queryRange(String promql, Instant start, Instant end, Duration step) {
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("query step must be positive: " + step);
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("query", promql);
    params.put("start", start.toString());
    params.put("end", end.toString());
    params.put("step", BigDecimal.valueOf(step.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString());
    return QueryResult.fromResponse(getJson("/api/v1/query_range", params));
  }

  /** The targets Prometheus currently scrapes, in the order it lists them. */
  public List<TargetHealth> activeTargets() {
    JsonNode response = getJson("/api/v1/targets", Map.of("state", "active"));
    List<TargetHealth> targets = new ArrayList<>();
    for (JsonNode target : response.path("data").path("activeTargets")) {
      Map<String, String> labels = QueryResult.labels(target.path("labels"));
      targets.add(new TargetHealth(
          labels.getOrDefault("job", target.path("scrapePool").asText()),
          labels.getOrDefault("instance", ""),
          target.path("scrapeUrl").asText(),
          health(target.path("health").asText()),
          lastScrape(target.path("lastScrape").asText()),
          target.path("lastError").asText(),
          labels));
    }
    return targets;
  }

  /**
   * True when {@code /-/ready} answers 200. Any failure to get that answer (refused, timed out,
   * still starting) is false, never an exception, so callers can poll.
   */
  public boolean ready() {
    try {
      return send("/-/ready", Map.of()).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * GETs an API path and returns the whole JSON response once Prometheus reported success.
   *
   * @param path path below the base URI, starting with '/', e.g. "/api/v1/labels"
   * @param params query parameters; each name and value is URL-encoded here
   * @throws OperationFailedException if the server cannot be reached or reports an error
   */
  public JsonNode getJson(String path, Map<String, String> params) {
    Response response;
    try {
      response = send(path, params);
    } catch (IOException e) {
      throw new OperationFailedException("Prometheus at " + base + " not reachable: " + describe(e), e);
    }
    int status = response.status();
    JsonNode body = parse(response.body());
    if (body != null && "error".equals(body.path("status").asText())) {
      // 400 bad_data, 422 execution, 503 timeout/canceled: Prometheus' own words say what went wrong.
      throw new OperationFailedException("PromQL error (" + body.path("errorType").asText("unknown") + "): "
          + body.path("error").asText());
    }
    if (status == 401 || status == 403) {
      throw new OperationFailedException("Prometheus at " + base + " refused the request (HTTP " + status
          + (auth.isPresent() ? "): check the username and password" : "): it needs credentials"));
    }
    if (status == 400 && base.startsWith("http:") && response.body().contains("HTTPS")) {
      throw new OperationFailedException("Prometheus at " + base + " answers HTTPS only: it was started with auth,"
          + " and its credentials are kept only in the state folder of the machine that started it (secrets/)");
    }
    if (status != 200) {
      throw new OperationFailedException("Prometheus at " + base + " answered HTTP " + status + " for " + path);
    }
    if (body == null || !"success".equals(body.path("status").asText())) {
      throw new OperationFailedException("Prometheus at " + base + " sent no API response for " + path
          + " (is it a Prometheus server?)");
    }
    return body;
  }

  /** One GET's status and body, read whole so the connection can be reused. */
  private record Response(int status, String body) {}

  private Response send(String path, Map<String, String> params) throws IOException {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    // Sorted so the same call always produces the same URL (easier to read in server logs).
    new TreeMap<>(params).forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
    URI uri;
    try {
      uri = URI.create(base + path + query);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a valid URL: " + base + path, e);
    }
    // Endpoints are tunnels or compute nodes: a proxy from the environment would only be in the way.
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    if (tls.isPresent() && connection instanceof javax.net.ssl.HttpsURLConnection https) {
      https.setSSLSocketFactory(tls.get().getSocketFactory());
      // The certificate is pinned exactly, which proves more than a host name would; the name seen
      // here is usually the local end of a tunnel, not the one in the certificate.
      https.setHostnameVerifier((host, session) -> true);
    }
    connection.setConnectTimeout(millis(connectTimeout));
    connection.setReadTimeout(millis(requestTimeout));
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setRequestProperty("Accept", "application/json");
    auth.ifPresent(a -> connection.setRequestProperty("Authorization", a.headerValue()));
    try {
      int status = connection.getResponseCode();
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      connection.disconnect();
      throw e;
    }
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String describe(IOException e) {
    if (e instanceof SocketTimeoutException) {
      // The JDK says "Connect timed out" or "Read timed out".
      String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      return message.startsWith("connect") ? "connect timed out" : "no answer in time";
    }
    if (e instanceof ConnectException) {
      // The JDK says "Connection refused"; the kind of failure is the news, in the tool's own words.
      String message = e.getMessage() == null ? "" : e.getMessage();
      return message.isEmpty() || message.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused" : message;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static TargetHealth.Health health(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "up" -> TargetHealth.Health.UP;
      case "down" -> TargetHealth.Health.DOWN;
      default -> TargetHealth.Health.UNKNOWN;
    };
  }

  /** Prometheus writes Go's zero time, year 1, for a target it never scraped. */
  private static Optional<Instant> lastScrape(String text) {
    try {
      OffsetDateTime time = OffsetDateTime.parse(text);
      return time.getYear() <= 1 ? Optional.empty() : Optional.of(time.toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Names the server and whether credentials are set; never the password. */
  @Override
  public String toString() {
    return "PrometheusClient[" + base + auth.map(a -> ", user=" + a.username()).orElse("") + "]";
  }
}
