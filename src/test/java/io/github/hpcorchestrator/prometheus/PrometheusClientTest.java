package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {

  /** What the fake server answers next. */
  private record Reply(int status, String body) {}

  private HttpServer server;
  private final AtomicReference<Reply> reply = new AtomicReference<>(new Reply(200, "{}"));
  private final AtomicReference<HttpExchange> lastRequest = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      lastRequest.set(exchange);
      if (hang) {
        awaitRelease();
      }
      byte[] body = reply.get().body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.get().status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private URI serverUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private PrometheusClient client() {
    return PrometheusClient.of(serverUri());
  }

  @Test
  void queryParsesVectorAndKeepsRawResponse() {
    reply.set(new Reply(200, """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1700000000.123,"1"]}
        ]}}"""));

    QueryResult result = client().query("up");

    assertThat(lastRequest.get().getRequestURI().getPath()).isEqualTo("/api/v1/query");
    assertThat(result.resultType()).isEqualTo(ResultType.VECTOR);
    assertThat(result.series()).containsExactly(new Series(
        Map.of("__name__", "up", "job", "prometheus", "instance", "localhost:9090"),
        List.of(new Sample(Instant.ofEpochMilli(1_700_000_000_123L), "1"))));
    assertThat(result.raw().path("status").asText()).isEqualTo("success");
    assertThat(result.raw().path("data").path("result").get(0).path("value").get(1).asText()).isEqualTo("1");
  }

  @Test
  void queryTravelsUrlEncoded() {
    reply.set(new Reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));

    QueryResult result = client().query("up{job=\"a b\"}");

    String rawQuery = lastRequest.get().getRequestURI().getRawQuery();
    assertThat(rawQuery).isEqualTo("query=up%7Bjob%3D%22a+b%22%7D");
    assertThat(URLDecoder.decode(rawQuery, StandardCharsets.UTF_8)).isEqualTo("query=up{job=\"a b\"}");
    assertThat(result.isEmpty()).isTrue();
  }

  @Test
  void queryRangeSendsStartEndAndStepInSeconds() {
    reply.set(new Reply(200, """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"job":"a"},"values":[[1700000000,"1"],[1700000000.5,"0"]]}
        ]}}"""));

    QueryResult result = client().queryRange("up", Instant.parse("2023-11-14T22:13:20Z"),
        Instant.parse("2023-11-14T22:14:20Z"), Duration.ofMillis(500));

    assertThat(lastRequest.get().getRequestURI().getPath()).isEqualTo("/api/v1/query_range");
    assertThat(URLDecoder.decode(lastRequest.get().getRequestURI().getRawQuery(), StandardCharsets.UTF_8))
        .isEqualTo("end=2023-11-14T22:14:20Z&query=up&start=2023-11-14T22:13:20Z&step=0.5");
    assertThat(result.resultType()).isEqualTo(ResultType.MATRIX);
    assertThat(result.series().get(0).samples()).extracting(Sample::value).containsExactly("1", "0");
    assertThat(result.series().get(0).samples().get(1).timestamp())
        .isEqualTo(Instant.ofEpochMilli(1_700_000_000_500L));
  }

  @Test
  void promqlErrorBecomesOperationFailedWithPrometheusWords() {
    reply.set(new Reply(400, """
        {"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:3: parse error: unexpected end of input"}"""));

    assertThatThrownBy(() -> client().query("up{"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("PromQL error (bad_data): invalid parameter \"query\": 1:3: parse error: unexpected end of input");
  }

  @Test
  void executionErrorOn422UsesTheSameForm() {
    reply.set(new Reply(422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many matching not allowed\"}"));

    assertThatThrownBy(() -> client().query("a / b"))
        .hasMessage("PromQL error (execution): many-to-many matching not allowed");
  }

  @Test
  void nonApiAnswerIsReportedWithStatus() {
    reply.set(new Reply(404, "404 page not found"));

    assertThatThrownBy(() -> client().query("up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("Prometheus at " + serverUri() + " answered HTTP 404 for /api/v1/query");
  }

  @Test
  void connectionRefusedIsOneLineNotReachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    PrometheusClient client = PrometheusClient.of(URI.create("http://127.0.0.1:" + port));

    assertThatThrownBy(() -> client.query("up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("Prometheus at http://127.0.0.1:" + port + " not reachable: connection refused");
    assertThat(client.ready()).isFalse();
  }

  @Test
  void slowServerIsNotReachableAfterRequestTimeout() {
    hang = true;
    PrometheusClient client = new PrometheusClient(serverUri(), Optional.empty(),
        Duration.ofSeconds(2), Duration.ofMillis(300));

    assertThatThrownBy(() -> client.query("up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("Prometheus at " + serverUri() + " not reachable: no complete answer within 300ms");
  }

  @Test
  void basicAuthHeaderIsSentAndPasswordNeverShown() {
    reply.set(new Reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"2\"]}}"));
    BasicAuth auth = new BasicAuth("user", "s3cret");
    PrometheusClient client = new PrometheusClient(serverUri(), Optional.of(auth),
        Duration.ofSeconds(2), Duration.ofSeconds(5));

    client.query("1+1");

    assertThat(lastRequest.get().getRequestHeaders().getFirst("Authorization"))
        .isEqualTo("Basic dXNlcjpzM2NyZXQ=");
    assertThat(client.toString()).contains("user").doesNotContain("s3cret");
    assertThat(auth.toString()).contains("user").doesNotContain("s3cret");
  }

  @Test
  void rejectedCredentialsSaySo() {
    reply.set(new Reply(401, "Unauthorized"));
    PrometheusClient client = new PrometheusClient(serverUri(), Optional.of(new BasicAuth("user", "wrong")),
        Duration.ofSeconds(2), Duration.ofSeconds(5));

    assertThatThrownBy(() -> client.query("up"))
        .hasMessage("Prometheus at " + serverUri() + " refused the request (HTTP 401): check the username and password");
  }

  @Test
  void readyIsTrueOnlyOn200() {
    reply.set(new Reply(200, "Prometheus Server is Ready.\n"));
    assertThat(client().ready()).isTrue();
    assertThat(lastRequest.get().getRequestURI().getPath()).isEqualTo("/-/ready");

    reply.set(new Reply(503, "Service Unavailable"));
    assertThat(client().ready()).isFalse();
  }

  @Test
  void activeTargetsReadHealthAndTreatZeroTimeAsNeverScraped() {
    reply.set(new Reply(200, """
        {"status":"success","data":{"activeTargets":[
          {"discoveredLabels":{},"labels":{"instance":"localhost:9090","job":"prometheus"},
           "scrapePool":"prometheus","scrapeUrl":"http://localhost:9090/metrics","globalUrl":"http://h:9090/metrics",
           "lastError":"","lastScrape":"2024-03-01T10:15:30.123456789+01:00","lastScrapeDuration":0.003,
           "health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"},
          {"discoveredLabels":{},"labels":{"instance":"node1:11434","job":"ollama","service_id":"ollama_abc"},
           "scrapePool":"ollama","scrapeUrl":"http://node1:11434/metrics","globalUrl":"http://node1:11434/metrics",
           "lastError":"","lastScrape":"0001-01-01T00:00:00Z","lastScrapeDuration":0,
           "health":"unknown","scrapeInterval":"15s","scrapeTimeout":"10s"},
          {"discoveredLabels":{},"labels":{"instance":"node2:9100","job":"node"},
           "scrapePool":"node","scrapeUrl":"http://node2:9100/metrics","globalUrl":"http://node2:9100/metrics",
           "lastError":"Get \\"http://node2:9100/metrics\\": dial tcp: connection refused",
           "lastScrape":"2024-03-01T09:15:31Z","lastScrapeDuration":0.001,
           "health":"down","scrapeInterval":"15s","scrapeTimeout":"10s"}
        ],"droppedTargets":[]}}"""));

    List<TargetHealth> targets = client().activeTargets();

    assertThat(URLDecoder.decode(lastRequest.get().getRequestURI().getRawQuery(), StandardCharsets.UTF_8))
        .isEqualTo("state=active");
    assertThat(targets).containsExactly(
        new TargetHealth("prometheus", "localhost:9090", "http://localhost:9090/metrics", TargetHealth.Health.UP,
            Optional.of(Instant.parse("2024-03-01T09:15:30.123456789Z")), "",
            Map.of("instance", "localhost:9090", "job", "prometheus")),
        new TargetHealth("ollama", "node1:11434", "http://node1:11434/metrics", TargetHealth.Health.UNKNOWN,
            Optional.empty(), "", Map.of("instance", "node1:11434", "job", "ollama", "service_id", "ollama_abc")),
        new TargetHealth("node", "node2:9100", "http://node2:9100/metrics", TargetHealth.Health.DOWN,
            Optional.of(Instant.parse("2024-03-01T09:15:31Z")),
            "Get \"http://node2:9100/metrics\": dial tcp: connection refused",
            Map.of("instance", "node2:9100", "job", "node")));
  }

  @Test
  void basePathPrefixIsKept() {
    reply.set(new Reply(200, "{\"status\":\"success\",\"data\":[\"job\"]}"));

    PrometheusClient.of(URI.create(serverUri() + "/prom/")).getJson("/api/v1/labels", Map.of());

    assertThat(lastRequest.get().getRequestURI().getPath()).isEqualTo("/prom/api/v1/labels");
  }
}
