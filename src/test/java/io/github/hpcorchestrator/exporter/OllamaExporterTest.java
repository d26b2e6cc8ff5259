package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaExporterTest {

  private RecordedHttpServer ollama;

  @BeforeEach
  void start() throws IOException {
    ollama = new RecordedHttpServer();
  }

  @AfterEach
  void stop() {
    ollama.close();
  }

  /** A clock that advances 0.25 s per reading, so the scrape takes 0.25 s. */
  private static LongSupplier quarterSecondSteps() {
    AtomicLong now = new AtomicLong();
    return () -> now.getAndAdd(250_000_000L);
  }

  /** The HELP text of every metric the exporter writes (all gauges). */
  private static final Map<String, String> HELP = Map.ofEntries(
      Map.entry("ollama_loaded_model_context_length", "Context length a loaded model was loaded with, in tokens"),
      Map.entry("ollama_loaded_model_expires_at_seconds", "When a loaded model will be unloaded, in seconds since the epoch"),
      Map.entry("ollama_loaded_model_size_bytes", "Memory a loaded model takes, in bytes"),
      Map.entry("ollama_loaded_model_vram_bytes", "GPU memory a loaded model takes, in bytes"),
      Map.entry("ollama_model_size_bytes", "Size of an available model, in bytes"),
      Map.entry("ollama_models_available", "Number of models Ollama has locally (/api/tags)"),
      Map.entry("ollama_models_loaded", "Number of models loaded into memory (/api/ps)"),
      Map.entry("ollama_scrape_duration_seconds", "How long asking Ollama took, in seconds"),
      Map.entry("ollama_up", "1 if Ollama's /api/version answered within the timeout, else 0"),
      Map.entry("ollama_version_info", "Ollama's version, from /api/version"));

  /** One gauge as the text format writes it: HELP and TYPE, then each sample (labels and value) after its name. */
  private static String metric(String name, String... samples) {
    StringBuilder text = new StringBuilder("# HELP " + name + " " + HELP.get(name) + "\n# TYPE " + name + " gauge\n");
    for (String sample : samples) {
      text.append(name).append(sample).append('\n');
    }
    return text.toString();
  }

  private OllamaExporter exporter(Duration timeout) {
    return new OllamaExporter(ollama.uri(), new DeadlineHttpClient(timeout), quarterSecondSteps());
  }

  static void serveFull(RecordedHttpServer server) {
    server.answer("/api/version", 200, "ollama/version.json")
        .answer("/api/tags", 200, "ollama/tags.json")
        .answer("/api/ps", 200, "ollama/ps.json");
  }

  @Test
  void fullResponsesGiveEveryMetric() {
    serveFull(ollama);

    assertThat(MetricsText.of(exporter(Duration.ofSeconds(2)))).isEqualTo(
        metric("ollama_loaded_model_context_length", "{model=\"llama3.2:latest\"} 4096.0")
        + metric("ollama_loaded_model_expires_at_seconds", "{model=\"llama3.2:latest\"} 1.73810031183753E9")
        + metric("ollama_loaded_model_size_bytes", "{model=\"llama3.2:latest\"} 3.825205248E9")
        + metric("ollama_loaded_model_vram_bytes", "{model=\"llama3.2:latest\"} 3.825205248E9")
        + metric("ollama_model_size_bytes",
            "{family=\"llama\",model=\"llama3.2:latest\",parameter_size=\"3.2B\",quantization_level=\"Q4_K_M\"} 2.019393189E9",
            "{family=\"qwen2\",model=\"deepseek-r1:latest\",parameter_size=\"7.6B\",quantization_level=\"Q4_K_M\"} 4.683075271E9")
        + metric("ollama_models_available", " 2.0")
        + metric("ollama_models_loaded", " 1.0")
        + metric("ollama_scrape_duration_seconds", " 0.25")
        + metric("ollama_up", " 1.0")
        + metric("ollama_version_info", "{version=\"0.5.7\"} 1"));
  }

  @Test
  void missingFieldsLeaveTheirSamplesOut() {
    ollama.answer("/api/version", 200, "ollama/version.json")
        .answer("/api/tags", 200, "ollama/tags-partial.json")
        .answer("/api/ps", 200, "ollama/ps-partial.json");

    // tags: no size for llama3.2, no details for deepseek-r1, no name at all for the third.
    // ps: llama3.2 without size_vram, expires_at, context_length; deepseek-r1 without size and
    // with Go's zero time as expires_at.
    assertThat(MetricsText.of(exporter(Duration.ofSeconds(2)))).isEqualTo(
        metric("ollama_loaded_model_size_bytes", "{model=\"llama3.2:latest\"} 3.825205248E9")
        + metric("ollama_loaded_model_vram_bytes", "{model=\"deepseek-r1:latest\"} 0.0")
        + metric("ollama_model_size_bytes",
            "{family=\"\",model=\"deepseek-r1:latest\",parameter_size=\"\",quantization_level=\"\"} 4.683075271E9")
        + metric("ollama_models_available", " 2.0")
        + metric("ollama_models_loaded", " 2.0")
        + metric("ollama_scrape_duration_seconds", " 0.25")
        + metric("ollama_up", " 1.0")
        + metric("ollama_version_info", "{version=\"0.5.7\"} 1"));
  }

  private static final String DOWN = metric("ollama_scrape_duration_seconds", " 0.25")
      + metric("ollama_up", " 0.0");

  @Test
  void stoppedOllamaIsDownAndNothingElse() {
    serveFull(ollama);
    OllamaExporter exporter = exporter(Duration.ofSeconds(2));
    ollama.close();

    assertThat(MetricsText.of(exporter)).isEqualTo(DOWN);
  }

  @Test
  void http500IsDown() {
    ollama.answerText("/api/version", 500, "internal error")
        .answerText("/api/tags", 500, "internal error")
        .answerText("/api/ps", 500, "internal error");

    assertThat(MetricsText.of(exporter(Duration.ofSeconds(2)))).isEqualTo(DOWN);
  }

  @Test
  void slowOllamaIsDownWithinTheTimeout() {
    serveFull(ollama);
    ollama.hang("/api/version").hang("/api/tags").hang("/api/ps");
    OllamaExporter exporter = new OllamaExporter(ollama.uri(), new DeadlineHttpClient(Duration.ofMillis(300)), System::nanoTime);

    long start = System.nanoTime();
    String text = MetricsText.of(exporter);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(text).contains("ollama_up 0.0\n").doesNotContain("ollama_models");
    // The three requests run in parallel: one timeout, not three.
    assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofMillis(800));
  }

  @Test
  void versionAloneSlowStillReportsTheModels() {
    serveFull(ollama);
    ollama.hang("/api/version");

    String text = MetricsText.of(exporter(Duration.ofMillis(300)));

    assertThat(text).contains("ollama_up 0.0\n", "ollama_models_available 2.0\n", "ollama_models_loaded 1.0\n")
        .doesNotContain("ollama_version_info");
  }

  @Test
  void answerThatIsNotOllamasJsonIsDown() {
    ollama.answerText("/api/version", 200, "<html>proxy login</html>")
        .answerText("/api/tags", 200, "{\"models\": \"none\"}")
        .answerText("/api/ps", 200, "[]");

    assertThat(MetricsText.of(exporter(Duration.ofSeconds(2)))).isEqualTo(DOWN);
  }
}
