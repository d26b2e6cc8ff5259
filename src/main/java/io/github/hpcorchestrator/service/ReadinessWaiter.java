package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.recipe.HealthCheck;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.transport.Shell;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Waits until a started service is ready: its job runs, its health endpoint answers 2xx (or its
 * port accepts), and its kind's own condition holds; a service that asked for no port is ready once
 * its job runs (or completed). Polls with a deadline and reports progress.
 */
public final class ReadinessWaiter {
  private static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(3);

  private final Shell shell;
  private final HttpProbe probe = new HttpProbe(Duration.ofSeconds(2));
  private final Consumer<String> progress;

  /**
   * @param shell reaches the service's node (directly, or through a tunnel)
   * @param progress receives a line now and then while waiting
   */
  public ReadinessWaiter(Shell shell, Consumer<String> progress) {
    this.shell = shell;
    this.progress = progress;
  }

  /**
   * Returns the ready service's status.
   *
   * @throws OperationFailedException when the job ends or the deadline passes first
   */
  public ServiceStatus await(ServiceRecord record, Optional<HealthCheck> check, ServiceKind kind,
      Function<ServiceRecord, ServiceStatus> observe) {
    Duration deadline = check.map(HealthCheck::deadline).orElse(DEFAULT_DEADLINE);
    Duration pause = check.map(HealthCheck::interval).filter(i -> i.toMillis() < 250).orElse(Duration.ofMillis(250));
    long start = System.nanoTime();
    long nextReport = start + REPORT_EVERY.toNanos();
    String waitingFor = "the job to start";
    ServiceRecord current = record;
    while (true) {
      ServiceStatus status = observe.apply(current);
      current = status.record();
      boolean noPort = record.requestedPort() == 0;
      if (noPort && status.state() == JobState.COMPLETED) {
        return status; // a batch step that already did its work
      }
      if (status.state().isFinal()) {
        throw new OperationFailedException("service " + record.serviceId() + " ended before it got ready: "
            + status.state() + status.job().exitCode().map(c -> " (exit code " + c + ")").orElse("")
            + lastLines(status));
      }
      if (noPort && status.runsWithoutPort()) {
        return status; // nothing to probe: no port was asked for
      }
      if (status.endpoint().isPresent()) {
        ServiceEndpoint endpoint = status.endpoint().get();
        InetSocketAddress address = shell.reach(endpoint.host(), endpoint.port());
        if (check.isPresent()) {
          int code = probe.get(address, check.get().endpoint(), check.get().timeout());
          waitingFor = "health " + endpoint.api() + check.get().endpoint()
              + (code < 0 ? " not answering yet" : " answered HTTP " + code);
          if (code >= 200 && code < 300) {
            if (kind.ready(record.serviceId(), address, progress)) {
              return status;
            }
            waitingFor = "the first scrape of every target";
          }
        } else if (kind.readyConnects()) {
          waitingFor = "it to answer on port " + endpoint.port() + " and scrape every target once";
          if (kind.ready(record.serviceId(), address, progress)) {
            return status;
          }
        } else {
          waitingFor = "port " + endpoint.port() + " to accept connections";
          if (probe.accepts(address, Duration.ofSeconds(2)) && kind.ready(record.serviceId(), address, progress)) {
            return status;
          }
        }
      } else if (status.state() == JobState.RUNNING) {
        waitingFor = "its connection file";
      }
      long now = System.nanoTime();
      Duration elapsed = Duration.ofNanos(now - start);
      if (elapsed.compareTo(deadline) > 0) {
        throw new OperationFailedException("service " + record.serviceId() + " did not get ready within "
            + deadline.toSeconds() + " s (still waiting for " + waitingFor + "); it was left running:"
            + " see --status, or stop it with --stop-service " + record.serviceId());
      }
      if (now >= nextReport) {
        progress.accept("waiting for " + record.serviceId() + ": " + status.state()
            + (status.job().reason().isEmpty() ? "" : " (" + status.job().reason() + ")")
            + ", " + waitingFor + " [" + elapsed.toSeconds() + " s]");
        nextReport = now + REPORT_EVERY.toNanos();
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperationFailedException("interrupted while waiting for " + record.serviceId());
      }
    }
  }

  private static String lastLines(ServiceStatus status) {
    if (status.job().logTail().isEmpty()) {
      return "";
    }
    return "; last log lines:\n  " + String.join("\n  ", status.job().logTail());
  }
}
