package io.github.hpcorchestrator.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClientMain's contract as a process: one-line bad plans with exit 2, and a partial summary on SIGTERM. */
class ClientMainTest {
  @TempDir Path dir;

  private ClientRuns.Result badPlan(String json) throws Exception {
    Path file = dir.resolve("client.json");
    Files.writeString(file, json);
    ClientRuns.Result r = ClientRuns.runFile(dir, file);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").startsWith(file.toString());
    return r;
  }

  private static String planWith(String load) {
    ClientPlan p = ClientRuns.plan("http://127.0.0.1:1", ClientRuns.workload("openai", "/v1/completions", 4),
        ClientRuns.closed(1, 1, 0));
    return p.toJson().replaceFirst("\"load\" : \\{[^}]*\\}", "\"load\" : " + load);
  }

  @Test
  void aRateAndAConcurrencyTogetherAreOneLine() throws Exception {
    assertThat(badPlan(planWith("{\"concurrency\": 2, \"rate\": 5, \"requests\": 3}")).err())
        .contains("load: expected exactly one of concurrency, rate, found both");
  }

  @Test
  void aZeroOrNegativeRateIsOneLine() throws Exception {
    assertThat(badPlan(planWith("{\"rate\": -1, \"requests\": 3}")).err())
        .contains("load.rate: expected a number > 0, found -1.0");
  }

  @Test
  void anUnknownWorkloadTypeIsOneLine() throws Exception {
    assertThat(badPlan(planWith("{\"concurrency\": 1, \"requests\": 1}").replace("\"openai\"", "\"grpc\"")).err())
        .contains("workload.type: expected http, ollama or openai, found grpc");
  }

  @Test
  void invalidJsonAndAMissingPlanAreOneLine() throws Exception {
    assertThat(badPlan("{\"client_id\": ").err()).contains("found invalid JSON");
    ClientRuns.Result missing = ClientRuns.runFile(dir, dir.resolve("nowhere.json"));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("found no such file");
  }

  @Test
  void aPromptsFileThatIsNotJsonlNamesItsLine() throws Exception {
    Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\": \"hi\"}\nnot json\n");
    ClientPlan p = ClientRuns.plan("http://127.0.0.1:1", ClientRuns.workload("ollama", "/api/chat", 4),
        ClientRuns.closed(1, 1, 0));
    p = new ClientPlan(p.clientId(), p.target(), p.workload(), new ClientPlan.Prompts(Optional.empty(),
        Optional.of(dir.resolve("prompts.jsonl").toString()), Optional.empty()), p.load(), 0);
    Files.writeString(dir.resolve("client.json"), p.toJson());
    ClientRuns.Result r = ClientRuns.runFile(dir, dir.resolve("client.json"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("line 2: expected a JSON object, found text that is not JSON");
  }

  private static boolean doneAtLeast(Path progress, long n) {
    try {
      return Files.exists(progress) && ClientProgress.fromJson(Files.readString(progress)).done() >= n;
    } catch (IOException e) {
      return false; // renamed into place between the check and the read; the next poll reads it
    }
  }

  @Test
  void sigtermStopsTheRunAndLeavesAPartialSummaryWithExit143() throws Exception {
    try (StreamingTestServer server = new StreamingTestServer(StreamingTestServer.Behaviour.streaming(20, 20, 8))) {
      ClientPlan p = ClientRuns.plan(server.url(), ClientRuns.workload("openai", "/v1/chat/completions", 8),
          ClientRuns.closed(2, 100_000, 0));
      Files.writeString(dir.resolve("client.json"), p.toJson());
      Process proc = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ClientMain.class.getName(), "--plan", "client.json",
          "--out", "out")).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("client.log").toFile()).start();
      try {
        Path progress = dir.resolve("out/progress.json");
        Await.until("4 requests done (progress.json)", Duration.ofSeconds(60), () -> {
          assertThat(proc.isAlive()).as("client still running").isTrue();
          return doneAtLeast(progress, 4);
        });
        proc.destroy(); // SIGTERM, as scancel sends it
        assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(Files.readString(dir.resolve("client.log"))).isEqualTo(143);
      } finally {
        proc.destroyForcibly();
      }
      ClientSummary s = ClientSummary.fromJson(Files.readString(dir.resolve("out/summary.json")));
      assertThat(s.partial()).isTrue();
      assertThat(s.stage("measured").orElseThrow().requests()).isGreaterThanOrEqualTo(4);
      assertThat(ClientProgress.fromJson(Files.readString(dir.resolve("out/progress.json"))).state())
          .isEqualTo("stopped");
      assertThat(Files.readAllLines(dir.resolve("out/requests.jsonl")).size())
          .isEqualTo(s.stage("measured").orElseThrow().requests());
    }
  }
}
