package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Ollama recipe with {@code models:} through the CLI on the local backend. The service's
 * command is {@code OllamaStandIn} (test code) because the real Ollama has no package here; it
 * speaks Ollama's /api/tags and streamed /api/pull, so the orchestrator's own path is the real
 * one: job, health check, then the pull, then ready (or stopped).
 */
@Tag("integration")
class OllamaModelsIntegrationTest {
  private static final String STAND_IN = "io.github.hpcorchestrator.service.OllamaStandIn";

  @TempDir Path dir;
  private LocalCli cli;
  private final List<String> jobs = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
  }

  @AfterEach
  void cleanUp() throws Exception {
    cli.cleanUp(jobs);
  }

  /** An ollama recipe that runs the stand-in on a free port and pulls {@code models}. */
  private Path recipe(String... models) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return Files.writeString(dir.resolve("ollama.yaml"), "service:\n"
        + "  name: ollama\n"
        + "  command: \"" + java + "\"\n"
        + "  args: [\"-cp\", \"" + System.getProperty("java.class.path") + "\", " + STAND_IN + ", serve]\n"
        + "  ports: [" + port + "]\n"
        + "  models: [" + String.join(", ", models) + "]\n");
  }

  private JsonNode onlyService() {
    JsonNode services = cli.json("--status").path("services");
    assertThat(services).hasSize(1);
    JsonNode service = services.get(0);
    jobs.add(service.path("job_id").asText());
    return service;
  }

  @Test
  void modelsArePulledWithProgressBeforeTheServiceIsReadyIntoTheStateFolder() throws IOException {
    CliResult r = cli.run("--recipe", recipe("standin-tiny:1b").toString());

    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    List<String> lines = r.err().lines().toList();
    assertThat(lines).anyMatch(l -> l.matches("ollama_[0-9a-f]{8}: pulling model standin-tiny:1b \\(1 of 1\\) into "
        + java.util.regex.Pattern.quote(dir.resolve("state/ollama-models").toString())));
    assertThat(lines).anyMatch(l -> l.matches(
        "ollama_[0-9a-f]{8}: pulling standin-tiny:1b: 100% of 3\\.0 MB, [0-9.]+ MB/s \\[\\d+ s]"));
    assertThat(lines).anyMatch(l -> l.matches("ollama_[0-9a-f]{8}: standin-tiny:1b ready \\(3\\.0 MB downloaded, \\d+ s\\)"));
    JsonNode service = onlyService();
    assertThat(service.path("state").asText()).isEqualTo("RUNNING");
    assertThat(service.path("endpoint").asText()).startsWith("http://");
    assertThat(dir.resolve("state/ollama-models/manifests/registry.ollama.ai/library/standin-tiny/1b")).exists();
  }

  @Test
  void aModelOllamaCannotPullFailsTheStartWithItsWordsAndLeavesNothingRunning() throws IOException {
    CliResult r = cli.run("--recipe", recipe("nosuch:1b").toString());

    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err()).containsPattern("error: model 'nosuch:1b' could not be pulled into ollama_[0-9a-f]{8}:"
        + " pull model manifest: file does not exist; ollama_[0-9a-f]{8} was stopped")
        .doesNotContain("Exception");
    JsonNode service = onlyService();
    String job = service.path("job_id").asText();
    Await.value("the stand-in's process group gone", Duration.ofSeconds(30), () -> {
      return ProcessGroups.alive(job) ? Optional.empty() : Optional.of(true);
    });
    // The reason lasts: a later --status still says why.
    JsonNode again = StreamSupport.stream(cli.json("--status").path("services").spliterator(), false)
        .filter(s -> s.path("job_id").asText().equals(job)).findFirst().orElseThrow();
    assertThat(again.path("state").asText()).isEqualTo("FAILED");
    assertThat(again.path("reason").asText()).contains("pull model manifest: file does not exist");
    assertThat(again.path("endpoint").isNull()).isTrue();
  }
}
