package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session recipes with clients on the local backend through the CLI: the service starts, the client
 * after it as a job of its own ({@code <name>_<8 hex>}), and once it ends by itself {@code --wait} or the
 * first {@code --results} brings its summary into metrics/<client_id>/; a client stopped midway keeps a
 * partial one.
 */
@Tag("integration")
class ClientSessionIntegrationTest {
  private final Path dir;
  private final LocalCli cli;

  ClientSessionIntegrationTest(@TempDir Path dir) throws IOException {
    this.dir = dir;
    this.cli = new LocalCli(dir);
  }

  @AfterEach
  void cleanUp() {
    if (cli != null) {
      cli.stopAll();
    }
  }

  /** The client's ID from --recipe's JSON (services, then clients, in start order). */
  private static String clientId(JsonNode started, String name) {
    for (JsonNode s : started.path("services")) {
      if (s.path("service_id").asText().startsWith(name + "_")) {
        return s.path("service_id").asText();
      }
    }
    throw new AssertionError("no " + name + " in " + started);
  }

  private JsonNode awaitResults(String id) {
    return Await.value("the summary of " + id, Duration.ofMinutes(3), () -> {
      CliResult r = cli.run("--output", "json", "--results", id);
      return r.code() == 0 ? Optional.of(r.json()) : Optional.empty();
    });
  }

  @Test
  void anOpenAiClientAgainstTheSimulatorMeasuresItsSettings() throws IOException {
    // --wait returns once the client ended, with the session and each client's end in one document.
    JsonNode started = cli.json("--recipe", LocalCli.REPO.resolve("recipes/sessions/llm_simulator_benchmark.yaml")
        .toString(), "--wait");
    String id = clientId(started, "chat");
    assertThat(id).matches("chat_[0-9a-f]{8}");
    JsonNode ended = started.path("clients").get(0);
    assertThat(ended.path("client_id").asText()).isEqualTo(id);
    assertThat(ended.path("outcome").asText()).isEqualTo("completed");

    JsonNode summary = ended.path("summary");
    assertThat(awaitResults(id)).isEqualTo(summary);
    assertThat(summary.path("client_id").asText()).isEqualTo(id);
    assertThat(summary.path("partial").asBoolean()).isFalse();
    JsonNode stage = summary.path("stages").get(0);
    assertThat(stage.path("requests").asInt()).isEqualTo(92); // 100 minus 8 warmup
    // The simulator's settings: TTFT 200 ms, TPOT 20 ms; 30 ms and 3 ms allow for a shared 2-core machine.
    assertThat(stage.path("ttft").path("p50").asDouble()).isBetween(0.200, 0.230);
    assertThat(stage.path("tpot").path("p50").asDouble()).isBetween(0.020, 0.023);
    // E2E = TTFT + 63 gaps of TPOT = 1.46 s; 4 in flight over ~1.46 s each is ~2.7 requests/s, 64 tokens each.
    assertThat(stage.path("e2e").path("p50").asDouble()).isBetween(1.46, 1.60);
    assertThat(stage.path("output_token_rate").asDouble()).isBetween(0.85 * 4 * 64 / 1.46, 1.02 * 4 * 64 / 1.46);
    assertThat(dir.resolve("metrics").resolve(id).resolve("requests.jsonl")).isRegularFile();
    assertThat(dir.resolve("metrics").resolve(id).resolve("summary.csv")).isRegularFile();
    assertThat(cli.run("--results", id).out()).contains("TTFT").contains("TPOT").contains("E2E");
  }

  @Test
  void anHttpClientAgainstPythonsHttpServerEndsWithoutErrors() throws IOException {
    Path recipe = Files.writeString(dir.resolve("http.yaml"), """
        services:
          - name: http_server
            command: python3
            args: ["-m", "http.server", "{port}"]
            ports: [8000]
            health_check: {endpoint: /}
        clients:
          - name: get_root
            target: {service: http_server}
            workload: {type: http, path: /}
            load: {concurrency: 2, requests: 40, warmup: 4}
        """);
    String id = clientId(cli.json("--recipe", recipe.toString()), "get_root");

    JsonNode stage = awaitResults(id).path("stages").get(0);
    assertThat(stage.path("requests").asInt()).isEqualTo(36);
    assertThat(stage.path("errors").size()).isZero();
    assertThat(stage.path("e2e").path("count").asInt()).isEqualTo(36);
  }

  @Test
  void aClientStoppedMidwayKeepsAPartialSummary() throws IOException {
    Path recipe = Files.writeString(dir.resolve("long.yaml"), """
        services:
          - name: llm_simulator
            simulator: {ttft: 50ms, tpot: 10ms, output_tokens: 16}
        clients:
          - name: long_chat
            target: {service: llm_simulator}
            workload: {type: openai, model: sim, max_tokens: 16}
            prompts: ["Hello"]
            load: {concurrency: 2, requests: 100000}
        """);
    String id = clientId(cli.json("--recipe", recipe.toString()), "long_chat");
    // --status speaks of its progress once it has measured some requests.
    Await.until("progress of " + id + " in --status", Duration.ofMinutes(2),
        () -> cli.json("--status").path("client_progress").path(id).asText(""),
        p -> p.matches("[1-9][0-9]*/100000 requests.*"));

    assertThat(cli.run("--stop-service", id).code()).isZero();
    CliResult waited = cli.run("--wait", id, "--output", "json");

    assertThat(waited.code()).as("stderr: %s", waited.err()).isEqualTo(1);
    JsonNode ended = waited.json().path("clients").get(0);
    assertThat(ended.path("outcome").asText()).isEqualTo("stopped_partial");
    assertThat(ended.path("summary").path("partial").asBoolean()).isTrue();
    assertThat(ended.path("summary").path("stages").get(0).path("requests").asLong()).isBetween(1L, 99_999L);
    assertThat(dir.resolve("metrics").resolve(id).resolve("summary.json")).isRegularFile();
    assertThat(cli.run("--results", id).out()).contains("partial");
  }
}
