package io.github.hpcorchestrator.exporter;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;

/**
 * An exporter's HTTP server, serving {@code /metrics} from its own registry (never the
 * process-wide default one). Close it to stop.
 */
public final class RunningExporter implements AutoCloseable {

  private final HTTPServer server;
  private final ListenAddress listen;

  private RunningExporter(HTTPServer server, ListenAddress listen) {
    this.server = server;
    this.listen = listen;
  }

  /**
   * Registers {@code collector} (and the JVM metrics when {@code jvmMetrics}) in a new registry
   * and starts serving it on {@code listen}.
   *
   * @throws IOException if the address cannot be bound
   */
  public static RunningExporter start(ListenAddress listen, MultiCollector collector, boolean jvmMetrics)
      throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    if (jvmMetrics) {
      JvmMetrics.builder().register(registry);
    }
    HTTPServer server = HTTPServer.builder()
        .hostname(listen.host())
        .port(listen.port())
        .registry(registry)
        .buildAndStart();
    return new RunningExporter(server, listen);
  }

  /** The port actually bound (differs from the requested one when that was 0). */
  public int port() {
    return server.getPort();
  }

  /** The metrics URL, with the loopback address when listening on all interfaces. */
  public URI metricsUri() {
    String host = listen.host();
    if (host.equals(ListenAddress.ANY_HOST) || host.equals("::")) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/metrics");
  }

  @Override
  public void close() {
    server.close();
  }
}
