package io.github.hpcorchestrator.monitor;

import io.github.hpcorchestrator.OrchestratorException;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks several monitors for their targets at once, so that frozen ones cost one deadline in all,
 * not one each.
 */
public final class TargetProbes {
  /** At most this many monitors are asked at the same time. */
  static final int MAX_PARALLEL = 32;

  /**
   * What one monitor answered.
   *
   * @param targets its targets, empty when it did not answer
   * @param failure why not, one line; empty when it answered
   */
  public record Probe(Optional<List<TargetHealth>> targets, String failure) {
    static Probe failed(String why) {
      return new Probe(Optional.empty(), why);
    }
  }

  private TargetProbes() {}

  /**
   * Asks every client for its active targets, all at once; returns once all answered or
   * {@code deadline} passed, one probe per key in the same order.
   */
  public static Map<String, Probe> probe(Map<String, PrometheusClient> clients, Duration deadline) {
    Map<String, Probe> probes = new LinkedHashMap<>();
    if (clients.isEmpty()) {
      return probes;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, clients.size()), task -> {
      Thread thread = new Thread(task, "status-probe");
      // A probe that outlives its deadline must not keep the CLI from exiting.
      thread.setDaemon(true);
      return thread;
    });
    try {
      Map<String, Future<List<TargetHealth>>> asked = new LinkedHashMap<>();
      clients.forEach((id, client) -> asked.put(id, pool.submit(client::activeTargets)));
      // The clients end by their own deadline; the margin covers starting the threads.
      Instant end = Instant.now().plus(deadline).plusSeconds(1);
      for (var entry : asked.entrySet()) {
        probes.put(entry.getKey(), await(entry.getValue(), end, deadline));
      }
      return probes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Probe await(Future<List<TargetHealth>> answer, Instant end, Duration deadline) {
    try {
      long left = Math.max(0, Duration.between(Instant.now(), end).toMillis());
      return new Probe(Optional.of(answer.get(left, TimeUnit.MILLISECONDS)), "");
    } catch (TimeoutException e) {
      answer.cancel(true);
      return Probe.failed("no answer within " + deadline.toMillis() / 1000.0 + " s (limits.status_timeout)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Probe.failed(cause instanceof OrchestratorException ? cause.getMessage()
          : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Probe.failed("interrupted");
    }
  }
}
