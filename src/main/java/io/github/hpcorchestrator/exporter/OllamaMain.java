package io.github.hpcorchestrator.exporter;

import java.time.Duration;
import java.util.Set;

/**
 * {@code OllamaMain --listen HOST:PORT [--target http://127.0.0.1:11434] [--timeout 2s]
 * [--jvm-metrics]}: exports the state of one Ollama server, asked at every scrape.
 */
public final class OllamaMain {

  static final String TARGET = "--target";
  static final String DEFAULT_TARGET = "http://127.0.0.1:11434";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  static final String USAGE = """
      usage: java -cp hpc-orchestrator.jar io.github.hpcorchestrator.exporter.OllamaMain \\
               --listen HOST:PORT [--target URL] [--timeout 2s] [--jvm-metrics]
        --listen       where to serve /metrics, e.g. 0.0.0.0:9400 (port 0: any free port)
        --target       the Ollama server's root URL (default http://127.0.0.1:11434)
        --timeout      how long one scrape may wait for Ollama (default 2s); slower is ollama_up 0
        --jvm-metrics  also export this process' JVM metrics""";

  static final ExporterLauncher LAUNCHER = new ExporterLauncher(USAGE, Set.of(TARGET), Set.of(),
      options -> new OllamaExporter(ProbeMain.httpUrl(TARGET, options.value(TARGET).orElse(DEFAULT_TARGET)),
          new DeadlineHttpClient(options.timeout(DEFAULT_TIMEOUT)), System::nanoTime));

  private OllamaMain() {}

  public static void main(String[] args) {
    LAUNCHER.main(args);
  }
}
