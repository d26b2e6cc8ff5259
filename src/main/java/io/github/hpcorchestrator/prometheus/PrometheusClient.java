package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * {@code Prometheus at URI not reachable: why}. Thread-safe; holds one {@link HttpClient}.
 */
public final class PrometheusClient {

  /** Connect timeout of {@link #of(URI)}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Whole-request timeout of {@link #of(URI)}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final Optional<BasicAuth> auth;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param baseUri the server's root, e.g. {@code http://127.0.0.1:9090}; a path prefix (for a
   *     Prometheus behind a proxy) is kept
   * @param auth basic credentials sent with every request, if any
   * @param connectTimeout how long to wait for the TCP connection
   * @param requestTimeout how long one whole request may take
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
    this.requestTimeout = requestTimeout;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
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
      return http.send(request("/-/ready", Map.of()), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    HttpResponse<String> response;
    try {
      response = http.send(request(path, params), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OperationFailedException("Prometheus at " + base + " not reachable: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while waiting for Prometheus at " + base, e);
    }
    int status = response.statusCode();
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

  private HttpRequest request(String path, Map<String, String> params) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    // Sorted so the same call always produces the same URL (easier to read in server logs).
    new TreeMap<>(params).forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path + query))
        .timeout(requestTimeout)
        .header("Accept", "application/json")
        .GET();
    auth.ifPresent(a -> builder.header("Authorization", a.headerValue()));
    return builder.build();
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
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    if (e instanceof ConnectException) {
      // HttpClient's ConnectException usually has no message; the kind of failure is the news.
      return e.getMessage() == null || e.getMessage().isEmpty() ? "connection refused" : e.getMessage();
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
