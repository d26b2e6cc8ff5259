package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session recipes with clients on the local backend through the CLI: the service starts, the client
 * after it as a job of its own ({@code <name>_<8 hex>}), and once it ends by itself the first
 * {@code --results} brings its summary into metrics/<client_id>/. Needs the client library
 * (client.ClientMain); skipped until it is on the classpath.
 */
@Tag("integration")
class ClientSessionIntegrationTest {
  @TempDir Path dir;
  private LocalCli cli;

  @BeforeEach
  void setUp() throws IOException {
    assumeThat(clientMainPresent()).as("client.ClientMain (the load generator) is built").isTrue();
    cli = new LocalCli(dir);
  }

  @AfterEach
  void cleanUp() {
    if (cli != null) {
      cli.stopAll();
    }
  }

  private static boolean clientMainPresent() {
    try {
      Class.forName("io.github.hpcorchestrator.client.ClientMain");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
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
    JsonNode started = cli.json("--recipe", LocalCli.REPO.resolve("recipes/sessions/llm_simulator_benchmark.yaml")
        .toString());
    String id = clientId(started, "chat");
    assertThat(id).matches("chat_[0-9a-f]{8}");

    JsonNode summary = awaitResults(id);
    assertThat(summary.path("client_id").asText()).isEqualTo(id);
    assertThat(summary.path("partial").asBoolean()).isFalse();
    JsonNode stage = summary.path("stages").get(0);
    assertThat(stage.path("requests").asInt()).isEqualTo(92); // 100 minus 8 warmup
    // The simulator's settings: TTFT 200 ms, TPOT 20 ms; 30 ms and 3 ms allow for a shared 2-core machine.
    assertThat(stage.path("ttft").path("p50").asDouble()).isBetween(0.200, 0.230);
    assertThat(stage.path("tpot").path("p50").asDouble()).isBetween(0.020, 0.023);
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
}
