package io.github.hpcorchestrator.exporter;

import io.github.hpcorchestrator.InputException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * {@code ProbeMain --listen HOST:PORT --target URL [--timeout 2s] [--jvm-metrics]}: exports
 * {@code probe_success}, {@code probe_duration_seconds} and {@code probe_http_status_code} of one
 * HTTP health endpoint, probed at every scrape.
 */
public final class ProbeMain {

  static final String TARGET = "--target";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  static final String USAGE = """
      usage: java -cp hpc-orchestrator.jar io.github.hpcorchestrator.exporter.ProbeMain \\
               --listen HOST:PORT --target URL [--timeout 2s] [--jvm-metrics]
        --listen       where to serve /metrics, e.g. 0.0.0.0:9401 (port 0: any free port)
        --target       the health URL to GET at every scrape, e.g. http://127.0.0.1:8000/health
        --timeout      how long one probe may take (default 2s); slower counts as failure
        --jvm-metrics  also export this process' JVM metrics""";

  static final ExporterLauncher LAUNCHER = new ExporterLauncher(USAGE, Set.of(TARGET), Set.of(),
      options -> new ProbeExporter(httpUrl(TARGET, options.require(TARGET)),
          new DeadlineHttpClient(options.timeout(DEFAULT_TIMEOUT)), System::nanoTime));

  private ProbeMain() {}

  public static void main(String[] args) {
    LAUNCHER.main(args);
  }

  /**
   * Parses an http(s) URL given as option {@code option}.
   *
   * @throws InputException if it is not an absolute http or https URL with a host
   */
  static URI httpUrl(String option, String text) {
    InputException bad = new InputException(
        option + ": expected an http:// or https:// URL with a host, got \"" + text + "\"");
    URI uri;
    try {
      uri = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw bad;
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw bad;
    }
    return uri;
  }
}
