package io.github.hpcorchestrator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.hpcorchestrator.recipe.SimulatorSpec;
import io.github.hpcorchestrator.simulator.LlmSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ollama and openai workloads against the real llm_simulator service. Tolerance: p50 TTFT within
 * 25 ms and p50 TPOT within 5 ms of its settings (loopback, a shared 2-core machine); tokens exact.
 */
class ClientSimulatorTest {
  @TempDir Path dir;

  private static LlmSimulator simulator(double errorRate, double cutRate) throws Exception {
    return LlmSimulator.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new SimulatorSpec(Duration.ofMillis(200), Duration.ofMillis(20), 16, errorRate, cutRate, 1));
  }

  private static String url(LlmSimulator s) {
    return "http://127.0.0.1:" + s.port();
  }

  @Test
  void openaiAndOllamaMeasureTheSimulatorsSettings() throws Exception {
    try (LlmSimulator sim = simulator(0, 0)) {
      String[][] cases = {{"openai", "/v1/chat/completions"}, {"openai", "/v1/completions"},
          {"ollama", "/api/chat"}, {"ollama", "/api/generate"}};
      for (String[] c : cases) {
        Path d = java.nio.file.Files.createDirectories(dir.resolve(c[0] + c[1].replace('/', '_')));
        ClientRuns.Result r = ClientRuns.run(d, ClientRuns.plan(url(sim), ClientRuns.workload(c[0], c[1], 16),
            ClientRuns.closed(4, 10, 2)));
        assertThat(r.exit()).as(c[1] + ": " + r.err()).isZero();
        ClientSummary.Stage s = r.measured();
        assertThat(s.requests()).isEqualTo(8);
        assertThat(s.ttft().p50()).as(c[1]).isCloseTo(0.200, within(0.025));
        assertThat(s.tpot().p50()).as(c[1]).isCloseTo(0.020, within(0.005));
        assertThat(s.outputTokens()).as(c[1]).isEqualTo(16L * 8);
        assertThat(s.tokenSource()).isEqualTo("server");
      }
    }
  }

  @Test
  void injectedErrorsAndCutsAreCountedByKind() throws Exception {
    try (LlmSimulator sim = simulator(1, 0)) {
      ClientRuns.Result r = ClientRuns.run(dir, ClientRuns.plan(url(sim),
          ClientRuns.workload("openai", "/v1/chat/completions", 16), ClientRuns.closed(2, 4, 0)));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.measured().errors()).isEqualTo(Map.of("http_500", 4L));
    }
    try (LlmSimulator sim = simulator(0, 1)) {
      Path d = java.nio.file.Files.createDirectories(dir.resolve("cut"));
      ClientRuns.Result r = ClientRuns.run(d, ClientRuns.plan(url(sim),
          ClientRuns.workload("ollama", "/api/generate", 16), ClientRuns.closed(2, 4, 0)));
      assertThat(r.measured().errors()).isEqualTo(Map.of("stream_cut", 4L));
    }
  }
}
