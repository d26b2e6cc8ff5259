package io.github.hpcorchestrator.monitor;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.config.Limits;
import io.github.hpcorchestrator.prometheus.InstanceIdentity;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.service.ServersModule;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceIdResolver;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * How a query reaches its monitor: straight to the endpoint state remembers once the Prometheus
 * there says it is that monitor (one bounded, authenticated call), and only otherwise through a
 * status refresh (the scheduler) and the endpoint it finds. Never answered by another instance.
 */
final class QueryRoute {
  private final ServersModule servers;
  private final Limits limits;
  private final Function<String, ServiceStatus> refreshed;

  /** @param refreshed the monitor's status after a refresh, by typed ID (fails for a non-monitor) */
  QueryRoute(ServersModule servers, Limits limits, Function<String, ServiceStatus> refreshed) {
    this.servers = servers;
    this.limits = limits;
    this.refreshed = refreshed;
  }

  /** A client for the monitor {@code typedId}, checked to reach that monitor where its Prometheus says who it is. */
  PrometheusClient client(String typedId) {
    Optional<ServiceRecord> stored = storedRunning(typedId);
    Optional<Checked> first = Optional.empty();
    if (stored.isPresent()) {
      ServiceRecord r = stored.get();
      ServiceEndpoint endpoint = endpoint(r);
      PrometheusClient client = clientAt(r.serviceId(), endpoint);
      InstanceIdentity.Check check = check(client, r.serviceId());
      if (check.verdict() == InstanceIdentity.Verdict.SAME) {
        return client;
      }
      first = Optional.of(new Checked(endpoint.host(), endpoint.port(), check));
    }
    return refresh(typedId, first).client();
  }

  /**
   * What {@code call} asks of the monitor {@code typedId}. At the endpoint state knows, the call runs
   * beside the identity check, and its answer (or failure) counts only once the check says it is that
   * monitor, or once a refresh finds the monitor still there and the check does not name another
   * (a monitor started before the marker); otherwise it is left to end by its own deadline, unused,
   * and made again where the refresh finds the monitor. {@code call} must only read (a query).
   */
  <T> T ask(String typedId, Function<PrometheusClient, T> call) {
    Optional<ServiceRecord> stored = storedRunning(typedId);
    if (stored.isEmpty()) {
      return call.apply(refresh(typedId, Optional.empty()).client());
    }
    ServiceRecord r = stored.get();
    ServiceEndpoint endpoint = endpoint(r);
    PrometheusClient client = clientAt(r.serviceId(), endpoint);
    // Beside the check rather than after it: one round trip through the SSH forward instead of two.
    FutureTask<T> asking = new FutureTask<>(() -> call.apply(client));
    Thread t = new Thread(asking, "monitor-query");
    t.setDaemon(true);
    t.start();
    InstanceIdentity.Check check = check(client, r.serviceId());
    if (check.verdict() != InstanceIdentity.Verdict.SAME) {
      Routed routed;
      try {
        routed = refresh(typedId, Optional.of(new Checked(endpoint.host(), endpoint.port(), check)));
      } catch (RuntimeException e) {
        asking.cancel(true);
        throw e;
      }
      if (!routed.atFirst()) {
        asking.cancel(true);
        return call.apply(routed.client());
      }
    }
    return answer(asking, r.serviceId());
  }

  /** The answer of the call {@code asking} made at monitor {@code serviceId}, or its failure. */
  private static <T> T answer(FutureTask<T> asking, String serviceId) {
    try {
      return asking.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while asking monitor " + serviceId, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failed) {
        throw failed;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new OperationFailedException(String.valueOf(e.getCause()), e);
    }
  }

  /**
   * A client where a status refresh (the scheduler) finds the monitor now, unless the Prometheus
   * there is another monitor; {@code first} is a check already made at the stored endpoint.
   */
  private Routed refresh(String typedId, Optional<Checked> first) {
    // Unknown, moved, replaced or not marked: the scheduler says where the monitor is now.
    ServiceStatus s = refreshed.apply(typedId);
    ServiceEndpoint endpoint = s.endpoint().orElseThrow(() -> new OperationFailedException("monitor " + s.serviceId()
        + " is " + s.state() + ", not running: nothing to query"));
    PrometheusClient client = clientAt(s.serviceId(), endpoint);
    Optional<Checked> same = first.filter(c -> c.host().equals(endpoint.host()) && c.port() == endpoint.port());
    InstanceIdentity.Check check = same.map(Checked::check).orElseGet(() -> check(client, s.serviceId()));
    if (check.verdict() == InstanceIdentity.Verdict.OTHER) {
      throw new OperationFailedException("the Prometheus at " + endpoint.host() + ":" + endpoint.port() + " is monitor "
          + check.found() + ", not " + s.serviceId() + " (which the scheduler still places there): nothing it answered"
          + " is used; see --status");
    }
    // SAME; NO_MARKER: a monitor started before monitors were marked; UNKNOWN: the query says why.
    return new Routed(client, same.isPresent());
  }

  /** The stored row of a monitor state last saw RUNNING with a port, if the typed ID names one. */
  private Optional<ServiceRecord> storedRunning(String typedId) {
    List<ServiceRecord> records = servers.storedServices();
    String id;
    try {
      id = ServiceIdResolver.resolve(typedId, records.stream().map(ServiceRecord::serviceId).toList());
    } catch (InputException e) {
      return Optional.empty(); // the refresh may adopt it, or says in its words what is wrong with the ID
    }
    Optional<ServiceRecord> r = records.stream().filter(x -> x.serviceId().equals(id)).findFirst();
    if (r.isPresent() && !r.get().isMonitor()) {
      throw new InputException("service " + id + " is not a monitor (Prometheus); see --list-monitors");
    }
    return r.filter(x -> x.state() == JobState.RUNNING && x.port() != 0 && !x.host().isEmpty());
  }

  /** Where a stored monitor answers, as a refresh would say it (HTTPS when it has credentials). */
  private ServiceEndpoint endpoint(ServiceRecord r) {
    ServiceEndpoint plain = ServiceEndpoint.of(r.serviceId(), r.name(), r.host(), r.port());
    return servers.credentials(r.serviceId()).isPresent() ? plain.https() : plain;
  }

  private PrometheusClient clientAt(String serviceId, ServiceEndpoint endpoint) {
    InetSocketAddress address = servers.shell().reach(endpoint.host(), endpoint.port());
    return PrometheusClient.at(address.getHostString(), address.getPort(), servers.credentials(serviceId))
        .withLimits(limits.requestTimeout(), limits.maxAnswerBytes());
  }

  /** The identity check: bounded by the status timeout and a small answer cap, with the query's credentials. */
  private InstanceIdentity.Check check(PrometheusClient client, String serviceId) {
    java.time.Duration timeout = limits.statusTimeout().compareTo(limits.requestTimeout()) < 0
        ? limits.statusTimeout() : limits.requestTimeout();
    return InstanceIdentity.check(client.withLimits(timeout,
        Math.min(limits.maxAnswerBytes(), InstanceIdentity.MAX_CONFIG_BYTES)), serviceId);
  }

  /** Where a refresh sends the query; {@code atFirst}: the endpoint already checked, at state's place. */
  private record Routed(PrometheusClient client, boolean atFirst) {}

  /** A check already made at an endpoint, not made again when the refresh finds the same one. */
  private record Checked(String host, int port, InstanceIdentity.Check check) {}
}
