package io.github.hpcorchestrator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ollama and openai workloads against a real streaming server of known timings. Tolerance: the
 * measured p50 TTFT and TPOT lie within 25 ms and 5 ms of the server's configured values (loopback,
 * a shared 2-core machine); token counts are exact.
 */
class ClientStreamingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void openaiChatMeasuresTheServersTimingsAndCountsTokensExactly() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(StreamingTestServer.Behaviour.streaming(200, 20, 16))) {
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
          ClientRuns.workload("openai", "/v1/chat/completions", 16), ClientRuns.closed(4, 12, 4)));
      assertThat(r.exit()).as(r.err()).isZero();
      assertTimings(r, 8);
      assertThat(r.summary().stage("warmup").orElseThrow().requests()).isEqualTo(4);
    }
  }

  @Test
  void ollamaGenerateMeasuresTheServersTimingsAndCountsTokensExactly() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(StreamingTestServer.Behaviour.streaming(200, 20, 16))) {
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
          ClientRuns.workload("ollama", "/api/generate", 16), ClientRuns.closed(4, 10, 2)));
      assertThat(r.exit()).as(r.err()).isZero();
      assertTimings(r, 8);
      JsonNode line = JSON.readTree(r.lines().get(0));
      assertThat(line.path("token_source").asText()).isEqualTo("server");
      assertThat(line.path("output_tokens").asInt()).isEqualTo(16);
      assertThat(line.path("chunks").asInt()).isEqualTo(16);
      assertThat(line.path("itl").size()).isEqualTo(15);
    }
  }

  private static void assertTimings(ClientRuns.Result r, int measured) {
    ClientSummary.Stage s = r.measured();
    assertThat(s.requests()).isEqualTo(measured);
    assertThat(s.errors()).isEmpty();
    assertThat(s.ttft().p50()).isCloseTo(0.200, within(0.025));
    assertThat(s.tpot().p50()).isCloseTo(0.020, within(0.005));
    assertThat(s.itl().p50()).isCloseTo(0.020, within(0.005));
    assertThat(s.e2e().p50()).isCloseTo(0.200 + 15 * 0.020, within(0.060));
    assertThat(s.tokenSource()).isEqualTo("server");
    assertThat(s.outputTokens()).isEqualTo(16L * measured);
    // Prompts are used in turn; the server counts words: "Hello there" 2, "Tell me a story" 4.
    assertThat(s.inputTokens()).isBetween(2L * measured, 4L * measured);
    assertThat(s.outputTokenRate()).isGreaterThan(0);
  }

  @Test
  void aStreamCutMidwayIsItsOwnKind() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(new StreamingTestServer.Behaviour(10, 5, 16, 5, 200))) {
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
          ClientRuns.workload("openai", "/v1/completions", 16), ClientRuns.closed(2, 6, 0)));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.measured().errors()).isEqualTo(Map.of("stream_cut", 6L));
      assertThat(JSON.readTree(r.lines().get(0)).path("token_source").asText()).isEqualTo("none");
    }
  }

  @Test
  void httpErrorsAreCountedByStatus() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(new StreamingTestServer.Behaviour(0, 0, 1, -1, 503))) {
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
          ClientRuns.workload("ollama", "/api/chat", 4), ClientRuns.closed(2, 5, 0)));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.measured().errors()).isEqualTo(Map.of("http_503", 5L));
    }
  }

  @Test
  void aRequestPastItsTimeoutIsCutAndCountedAsTimeout() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(StreamingTestServer.Behaviour.streaming(3000, 10, 4))) {
      ClientPlan.Workload w = ClientRuns.workload("openai", "/v1/completions", 4);
      w = new ClientPlan.Workload(w.type(), w.method(), w.path(), w.headers(), w.body(), w.model(), w.maxTokens(),
          w.temperature(), 0.3);
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(), w, ClientRuns.closed(2, 2, 0)));
      assertThat(r.measured().errors()).isEqualTo(Map.of("timeout", 2L));
      assertThat(JSON.readTree(r.lines().get(0)).path("end").asDouble()).isLessThan(1.0);
    }
  }

  @Test
  void closedLoopKeepsExactlyNInFlight() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(StreamingTestServer.Behaviour.streaming(50, 10, 4))) {
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(server.url(),
          ClientRuns.workload("ollama", "/api/generate", 4), ClientRuns.closed(5, 60, 0)));
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(server.peakInFlight()).isEqualTo(5);
      // 60 requests of ~80 ms, 5 at a time: 12 rounds; a gap between one ending and the next send would stretch it.
      assertThat(r.measured().windowSeconds()).isLessThan(12 * 0.080 * 1.5);
    }
  }
}
