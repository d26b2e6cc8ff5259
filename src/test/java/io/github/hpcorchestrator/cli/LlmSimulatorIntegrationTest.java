package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped llm_simulator recipe through the CLI on the local backend: it starts as the
 * orchestrator's own Java, is ready once /api/tags answers, serves both APIs at its recipe's
 * settings (64 tokens, TTFT 200 ms) and is gone with its process group after --stop-service.
 */
@Tag("integration")
class LlmSimulatorIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private LocalCli cli;
  private String job;

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
  }

  @AfterEach
  void cleanUp() throws Exception {
    cli.cleanUp(job == null ? List.of() : List.of(job));
  }

  private HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theShippedRecipeServesOllamaAndOpenAiAtItsSettingsUntilStopped() throws Exception {
    JsonNode started = cli.json("--recipe", LocalCli.REPO.resolve("recipes/services/llm_simulator.yaml").toString());
    JsonNode service = started.path("services").get(0);
    String id = service.path("service_id").asText();
    job = service.path("job_id").asText();
    assertThat(id).matches("llm_simulator_[0-9a-f]{8}");
    int port = cli.json("--service-endpoint", id).path("port").asInt();

    long send = System.nanoTime();
    HttpResponse<String> chat = post(port, "/v1/chat/completions", "{\"model\":\"sim\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    assertThat(Duration.ofNanos(System.nanoTime() - send)).isGreaterThanOrEqualTo(Duration.ofMillis(200 + 63 * 20));
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).endsWith("data: [DONE]\n\n").contains("\"completion_tokens\":64");

    JsonNode generate = JSON.readTree(post(port, "/api/generate", "{\"model\":\"sim\",\"prompt\":\"a b c\","
        + "\"stream\":false}").body());
    assertThat(generate.path("eval_count").asInt()).isEqualTo(64);
    assertThat(generate.path("prompt_eval_count").asInt()).isEqualTo(3);

    assertThat(cli.run("--stop-service", id).code()).isZero();
    Await.value("the simulator's process group gone", Duration.ofSeconds(30), () -> {
      return ProcessGroups.alive(job) ? Optional.empty() : Optional.of(true);
    });
  }
}
