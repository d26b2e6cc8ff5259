package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.transport.Shell;
import io.github.hpcorchestrator.transport.SshTunnel;
import java.net.BindException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** --service-endpoint, --monitor-endpoint (with --tunnel) and --show-credentials. */
final class EndpointActions {
  private EndpointActions() {}

  /** Where service {@code typedId} answers; with {@code monitorOnly}, an input error unless it is a monitor. */
  static ServiceEndpoint endpoint(BenchmarkOrchestrator orchestrator, String typedId, boolean monitorOnly) {
    ServiceStatus status = orchestrator.servers().checkServiceStatus(typedId);
    if (monitorOnly && !status.record().isMonitor()) {
      throw new InputException("service " + status.serviceId() + " is not a monitor");
    }
    return orchestrator.servers().getServiceEndpoint(status.serviceId());
  }

  /** The endpoint block for {@code typedId}. */
  static View view(BenchmarkOrchestrator orchestrator, String typedId, ServiceEndpoint endpoint) {
    String name = orchestrator.servers().checkServiceStatus(endpoint.serviceId()).record().name();
    return new View(() -> StatusView.endpointText(typedId, name, endpoint), () -> StatusView.endpointJson(endpoint));
  }

  /** The user and password of monitor {@code typedId}: printed only because they were asked for. */
  static View credentials(BenchmarkOrchestrator orchestrator, String typedId) {
    String id = orchestrator.servers().checkServiceStatus(typedId).serviceId();
    PrometheusCredentials c = orchestrator.servers().credentials(id)
        .orElseThrow(() -> new InputException("service " + id + " has no credentials (only monitors started"
            + " from this machine have them)"));
    return new View(() -> "User: " + c.username() + "\nPassword: " + c.password() + "\n",
        () -> Printer.object().put("service_id", id).put("user", c.username()).put("password", c.password()));
  }

  /** Forwards {@code localPort} to the service until this process is interrupted (Ctrl-C). */
  static int holdTunnel(BenchmarkOrchestrator orchestrator, ServiceEndpoint endpoint, int localPort, Printer printer) {
    if (localPort < 1 || localPort > 65535) {
      throw new InputException("--tunnel: expected a port number 1-65535, found " + localPort);
    }
    Optional<SshTunnel> held = open(orchestrator.shell(), endpoint, localPort);
    if (held.isEmpty()) {
      printer.progress("no tunnel needed: this machine reaches " + endpoint.api() + " directly");
      return 0;
    }
    try (SshTunnel t = held.get()) {
      String scheme = endpoint.api().startsWith("https:") ? "https" : "http";
      String url = scheme + "://127.0.0.1:" + t.localAddress().getPort() + "/";
      printer.progress("forwarding " + url + " to " + endpoint.host() + ":" + endpoint.port()
          + " through the SSH connection; press Ctrl-C to stop");
      printer.progress(loginHint(orchestrator.servers().credentials(endpoint.serviceId()), url, endpoint.serviceId()));
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** How to log in to the UI at {@code url}: the user, and where the password is (never the password). */
  static String loginHint(Optional<PrometheusCredentials> credentials, String url, String serviceId) {
    return credentials.map(c -> "UI: " + url + "  user: " + c.username() + "  password: run --show-credentials "
        + serviceId).orElse("UI: " + url);
  }

  private static Optional<SshTunnel> open(Shell shell, ServiceEndpoint endpoint, int localPort) {
    try {
      return shell.holdTunnel(endpoint.host(), endpoint.port(), localPort);
    } catch (RuntimeException e) {
      if (causedByBind(e)) {
        throw new InputException("--tunnel: local port " + localPort + " is in use; choose another");
      }
      throw e;
    }
  }

  /** True when {@code e} or a cause is a failed bind of a local port. */
  static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
