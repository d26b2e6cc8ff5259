package io.github.hpcorchestrator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http workload and the open loop against a real server (python3's http.server). */
class ClientHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private PythonHttpServer server;

  @BeforeEach
  void start() throws Exception {
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "<p>hello</p>\n");
    server = new PythonHttpServer(www);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void httpWorkloadRecordsEveryRequestWithoutTokenCounts() throws Exception {
    ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
        ClientRuns.workload("http", "/index.html", 0), ClientRuns.closed(4, 50, 5)));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(50);
    assertThat(r.measured().requests()).isEqualTo(45);
    assertThat(r.measured().errors()).isEmpty();
    assertThat(r.measured().tokenSource()).isEqualTo("none");
    assertThat(r.measured().ttft().count()).isEqualTo(45);
    assertThat(r.measured().requestRate()).isPositive();
    JsonNode line = JSON.readTree(r.lines().get(0));
    assertThat(line.path("status").asInt()).isEqualTo(200);
    assertThat(line.path("token_source").asText()).isEqualTo("none");
    assertThat(line.has("output_tokens")).isFalse();
    assertThat(Files.readString(dir.resolve("out/summary.csv"))).startsWith("stage,metric,");
    ClientProgress p = ClientProgress.fromJson(Files.readString(dir.resolve("out/progress.json")));
    assertThat(p.state()).isEqualTo("completed");
    assertThat(p.done()).isEqualTo(50);
  }

  @Test
  void httpErrorsAndConnectErrorsAreCountedByKind() throws Exception {
    ClientRuns.Result missing = ClientRuns.run(dir, ClientRuns.plan(server.url(),
        ClientRuns.workload("http", "/missing", 0), ClientRuns.closed(2, 6, 0)));
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.measured().errors()).isEqualTo(Map.of("http_404", 6L));
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ClientRuns.Result refused = ClientRuns.run(Files.createDirectories(dir.resolve("b")), ClientRuns.plan(
        "http://127.0.0.1:" + closed, ClientRuns.workload("http", "/", 0), ClientRuns.closed(2, 4, 0)));
    assertThat(refused.measured().errors()).isEqualTo(Map.of("connect", 4L));
    assertThat(ClientProgress.fromJson(Files.readString(dir.resolve("b/out/progress.json"))).state())
        .isEqualTo("failed");
  }

  @Test
  void openLoopAt200PerSecondFor10SecondsKeepsItsRateAndReportsQueueDelay() throws Exception {
    ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
        ClientRuns.workload("http", "/index.html", 0), ClientRuns.open(200, "constant", 10)));
    assertThat(r.exit()).as(r.err()).isZero();
    ClientSummary.Stage s = r.measured();
    assertThat(s.requests()).isEqualTo(2000);
    assertThat(s.errors()).isEmpty();
    // The achieved send rate (first to last send) holds the 2 %; request_rate (first send to last end)
    // also holds one late answer's delay, so it gets 5 % on this shared machine.
    double[] sends = r.lines().stream().mapToDouble(l -> field(l, "send")).sorted().toArray();
    assertThat((sends.length - 1) / (sends[sends.length - 1] - sends[0])).isCloseTo(200, within(200 * 0.02));
    assertThat(s.requestRate()).isCloseTo(200, within(200 * 0.05));
    assertThat(s.queueDelay()).isPresent();
    assertThat(s.queueDelay().get().count()).isEqualTo(2000);
    // Reported, not held to the 1 ms goal here: on a shared 2-core test machine the sender thread can be
    // descheduled for a few hundred ms (seen at load 20); bench/ measures the goal on a quiet machine.
    assertThat(s.queueDelay().get().p99()).as(worstQueueDelays(r)).isPositive().isLessThan(1.0);
    assertThat(s.e2eFromPlanned().orElseThrow().p50()).isGreaterThanOrEqualTo(s.e2e().p50());
  }

  private static double field(String line, String name) {
    try {
      return JSON.readTree(line).path(name).asDouble();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String worstQueueDelays(ClientRuns.Result r) {
    return r.lines().stream().map(l -> {
      try {
        JsonNode n = JSON.readTree(l);
        return new double[] {n.path("send").asDouble() - n.path("planned").asDouble(), n.path("index").asDouble()};
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).sorted((a, b) -> Double.compare(b[0], a[0])).limit(25)
        .map(d -> String.format("#%d %.1f ms", (long) d[1], d[0] * 1e3)).toList().toString();
  }

  @Test
  void poissonArrivalsFollowTheSeededPlan() throws Exception {
    ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
        ClientRuns.workload("http", "/index.html", 0), ClientRuns.open(100, "poisson", 3)));
    assertThat(r.exit()).as(r.err()).isZero();
    // 100/s for 3 s: a Poisson count of mean 300 (sd ~17); fixed by the seed.
    assertThat(r.measured().requests()).isBetween(240L, 360L);
    JsonNode first = JSON.readTree(r.lines().get(0));
    assertThat(first.has("planned")).isTrue();
  }
}
