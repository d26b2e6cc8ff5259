package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The Ollama exporter's real HTTP server, scraped over HTTP, its output checked by promtool. */
class OllamaMainTest {

  static Stream<Arguments> cases() {
    Consumer<RecordedHttpServer> up = OllamaExporterTest::serveFull;
    Consumer<RecordedHttpServer> partial = s -> s.answer("/api/version", 200, "ollama/version.json")
        .answer("/api/tags", 200, "ollama/tags-partial.json")
        .answer("/api/ps", 200, "ollama/ps-partial.json");
    Consumer<RecordedHttpServer> down = RecordedHttpServer::close;
    Consumer<RecordedHttpServer> slow = s -> up.andThen(x -> x.hang("/api/version").hang("/api/tags").hang("/api/ps"))
        .accept(s);
    Consumer<RecordedHttpServer> error500 = s -> s.answerText("/api/version", 500, "boom")
        .answerText("/api/tags", 500, "boom").answerText("/api/ps", 500, "boom");
    return Stream.of(
        Arguments.of("up", up, "ollama_up 1.0", "ollama_version_info{version=\"0.5.7\"} 1"),
        Arguments.of("partial", partial, "ollama_up 1.0", "ollama_models_loaded 2.0"),
        Arguments.of("down", down, "ollama_up 0.0", "ollama_scrape_duration_seconds "),
        Arguments.of("slow", slow, "ollama_up 0.0", "ollama_scrape_duration_seconds "),
        Arguments.of("http 500", error500, "ollama_up 0.0", "ollama_scrape_duration_seconds "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void scrapeOverHttpPassesPromtool(String name, Consumer<RecordedHttpServer> setup, String line1, String line2)
      throws Exception {
    try (RecordedHttpServer ollama = new RecordedHttpServer()) {
      String target = ollama.uri().toString();
      setup.accept(ollama);
      try (RunningExporter exporter = OllamaMain.LAUNCHER.start(
          "--listen", "127.0.0.1:0", "--target", target, "--timeout", "300ms")) {
        assertThat(exporter.port()).isPositive();

        String text = MetricsText.scrape(exporter.metricsUri());

        assertThat(text).contains(line1 + "\n", line2);
        PromtoolMetrics.assertPasses(text);
      }
    }
  }

  @Test
  void jvmMetricsOnlyWhenAsked() throws Exception {
    try (RecordedHttpServer ollama = new RecordedHttpServer();
        RunningExporter plain = OllamaMain.LAUNCHER.start("--listen", "127.0.0.1:0", "--target", ollama.uri().toString());
        RunningExporter withJvm = OllamaMain.LAUNCHER.start(
            "--listen", "127.0.0.1:0", "--target", ollama.uri().toString(), "--jvm-metrics")) {
      OllamaExporterTest.serveFull(ollama);

      assertThat(MetricsText.scrape(plain.metricsUri())).doesNotContain("jvm_");
      String text = MetricsText.scrape(withJvm.metricsUri());
      assertThat(text).contains("jvm_memory_used_bytes", "ollama_up 1.0\n");
      PromtoolMetrics.assertPasses(text);
    }
  }

  @Test
  void targetMustBeAnHttpUrl() {
    assertThatThrownBy(() -> OllamaMain.LAUNCHER.start("--listen", "127.0.0.1:0", "--target", "127.0.0.1:11434"))
        .isInstanceOf(InputException.class)
        .hasMessage("--target: expected an http:// or https:// URL with a host, got \"127.0.0.1:11434\"");
  }
}
