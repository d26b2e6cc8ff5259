package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
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
 * <p>Every request is bounded: it ends by a total deadline (a server trickling its answer cannot
 * hold it), and an answer larger than the cap fails with one line naming the limit. Requests go
 * through {@link HttpGet}, one socket each and no background thread: the JDK's HttpClient keeps a
 * selector thread waiting in native code, and the JVM waits about 300 ms for such a thread when it
 * exits, which every short CLI call would pay.
 */
public final class PrometheusClient {

  /** Connect timeout of {@link #of(URI)}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Whole-request timeout of {@link #of(URI)}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Largest answer body of {@link #of(URI)}, in bytes (64 MiB). */
  public static final long DEFAULT_MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  /** Receives each series of a streamed range answer. */
  @FunctionalInterface
  public interface SeriesSink {
    /** Consumes the one series object at {@code parser}'s current START_OBJECT, and no more. */
    void series(JsonParser parser) throws IOException;
  }

  private final String base;
  private final Optional<BasicAuth> auth;
  private final Optional<javax.net.ssl.SSLContext> tls;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final long maxAnswerBytes;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param baseUri the server's root, e.g. {@code http://127.0.0.1:9090}; a path prefix (for a
   *     Prometheus behind a proxy) is kept
   * @param auth basic credentials sent with every request, if any
   * @param connectTimeout how long to wait for the TCP connection
   * @param requestTimeout the most one request may take, answer included
   */
  public PrometheusClient(URI baseUri, Optional<BasicAuth> auth, Duration connectTimeout, Duration requestTimeout) {
    this(baseUri, auth, Optional.empty(), connectTimeout, requestTimeout);
  }

  /**
   * @param tls the SSL context for an https base URI (e.g. one that pins the server's certificate)
   */
  public PrometheusClient(URI baseUri, Optional<BasicAuth> auth, Optional<javax.net.ssl.SSLContext> tls,
      Duration connectTimeout, Duration requestTimeout) {
    this(baseUri, auth, tls, connectTimeout, requestTimeout, DEFAULT_MAX_ANSWER_BYTES);
  }

  /**
   * @param maxAnswerBytes the largest answer body accepted, in bytes
   */
  public PrometheusClient(URI baseUri, Optional<BasicAuth> auth, Optional<javax.net.ssl.SSLContext> tls,
      Duration connectTimeout, Duration requestTimeout, long maxAnswerBytes) {
    if (maxAnswerBytes < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("limits must be positive: " + maxAnswerBytes + " bytes, " + requestTimeout);
    }
    String text = baseUri.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.auth = auth;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /** The same server and credentials with another total deadline per request and another answer cap. */
  public PrometheusClient withLimits(Duration requestTimeout, long maxAnswerBytes) {
    return new PrometheusClient(URI.create(base), auth, tls, connectTimeout, requestTimeout, maxAnswerBytes);
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
    return QueryResult.fromResponse(getJson("/api/v1/query_range", rangeParams(promql, start, end, step)));
  }

  /**
   * As {@link #queryRange}, but each series of the matrix goes to {@code sink} as it arrives, so an
   * answer is never held whole; the cap still bounds it. Returns how many series came.
   *
   * @throws UncheckedIOException if {@code sink} fails (e.g. its file cannot be written)
   */
  public int streamRange(String promql, Instant start, Instant end, Duration step, SeriesSink sink) {
    String path = "/api/v1/query_range";
    MatrixStream.Streamed answer = call(path, rangeParams(promql, start, end, step),
        (status, body) -> MatrixStream.read(json.getFactory(), status, body, sink));
    if (answer.whole() != null) {
      // Not a streamed success: the usual checks find the words for what went wrong.
      checked(answer.status(), answer.whole(), path);
      throw unexpected("the answer to " + path + " is not a matrix");
    }
    return answer.count();
  }

  /** The values of {@code label} among series matching {@code match} over {@code [start, end]}. */
  public List<String> labelValues(String label, String match, Instant start, Instant end) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("match[]", match);
    params.put("start", start.toString());
    params.put("end", end.toString());
    List<String> values = new ArrayList<>();
    getJson("/api/v1/label/" + encode(label) + "/values", params).path("data").forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Map<String, String> rangeParams(String promql, Instant start, Instant end, Duration step) {
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("query step must be positive: " + step);
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("query", promql);
    params.put("start", start.toString());
    params.put("end", end.toString());
    params.put("step", BigDecimal.valueOf(step.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString());
    return params;
  }

  private static OperationFailedException unexpected(String what) {
    return new OperationFailedException("Prometheus sent an unexpected query result: " + what);
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
      return send("/-/ready", Map.of(), (status, body) -> {
        body.transferTo(java.io.OutputStream.nullOutputStream());
        return status;
      }) == 200;
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
    Response response = call(path, params,
        (status, body) -> new Response(status, new String(body.readAllBytes(), StandardCharsets.UTF_8)));
    return checked(response.status(), response.body(), path);
  }

  /** The parsed body of a successful API answer, else the one-line error that says why not. */
  private JsonNode checked(int status, String text, String path) {
    JsonNode body = parse(text);
    if (body != null && "error".equals(body.path("status").asText())) {
      // 400 bad_data, 422 execution, 503 timeout/canceled: Prometheus' own words say what went wrong.
      throw new OperationFailedException("PromQL error (" + body.path("errorType").asText("unknown") + "): "
          + body.path("error").asText());
    }
    if (status == 401 || status == 403) {
      throw new OperationFailedException("Prometheus at " + base + " refused the request (HTTP " + status
          + (auth.isPresent() ? "): check the username and password" : "): it needs credentials"));
    }
    if (status == 400 && base.startsWith("http:") && text.contains("HTTPS")) {
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

  /** One GET's status and whole body. */
  private record Response(int status, String body) {}

  /** {@link #send}, with every failure to get an answer as the one line that says why. */
  private <T> T call(String path, Map<String, String> params, HttpGet.BodyReader<T> reader) {
    try {
      return send(path, params, reader);
    } catch (HttpGet.TooLargeException e) {
      throw new OperationFailedException("Prometheus at " + base + ": the answer to " + path + " is larger than"
          + " limits.max_answer_bytes (" + maxAnswerBytes + " bytes); narrow the query or raise the limit", e);
    } catch (IOException e) {
      throw new NotReachableException("Prometheus at " + base + " not reachable: " + describe(e), e);
    }
  }

  private <T> T send(String path, Map<String, String> params, HttpGet.BodyReader<T> reader) throws IOException {
    Instant deadline = Instant.now().plus(requestTimeout);
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    // Sorted so the same call always produces the same URL (easier to read in server logs).
    new TreeMap<>(params).forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
    URI uri;
    try {
      uri = URI.create(base + path + query);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a valid URL: " + base + path, e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    auth.ifPresent(a -> headers.put("Authorization", a.headerValue()));
    // The certificate is pinned exactly (tls), which proves more than a host name would; the name
    // seen here is usually the local end of a tunnel, not the one in the certificate.
    return HttpGet.get(uri, headers, tls, connectTimeout, deadline, maxAnswerBytes, reader);
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

  private String describe(IOException e) {
    if (e instanceof HttpGet.DeadlineException) {
      return "no complete answer within " + PrometheusDuration.format(requestTimeout);
    }
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
