package io.github.hpcorchestrator.monitor;

import io.github.hpcorchestrator.cluster.Connection;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.DiscoverySpec;
import io.github.hpcorchestrator.prometheus.FileSdWriter;
import io.github.hpcorchestrator.prometheus.StaticConfig;
import io.github.hpcorchestrator.service.ServiceId;
import io.github.hpcorchestrator.transport.Shell;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A monitor's target discovery: each round asks the scheduler which services run, reads their
 * connection files, and rewrites (atomically, only when changed) the file_sd file of every scrape
 * job that follows services. Prometheus picks the files up without a restart.
 */
public final class DiscoveryLoop {
  private final DiscoverySpec spec;
  private final Scheduler scheduler;
  private final Shell shell;
  private final FileSdWriter writer = new FileSdWriter();
  private final Map<String, String> written = new HashMap<>();
  private final Map<String, DiscoveredService> cache = new HashMap<>();
  private final String localHost;

  /**
   * @param scheduler the backend the services run on, seen from where the loop runs
   * @param shell reads the services' files and writes the target files
   */
  public DiscoveryLoop(DiscoverySpec spec, Scheduler scheduler, Shell shell) {
    this.spec = spec;
    this.scheduler = scheduler;
    this.shell = shell;
    this.localHost = hostname();
  }

  /** The services that run now and have published where they listen. */
  public List<DiscoveredService> services() {
    List<DiscoveredService> out = new ArrayList<>();
    Map<String, DiscoveredService> seen = new HashMap<>();
    for (SubmittedJob job : scheduler.discoverFresh()) {
      // A job's connection and session never change once written: read them once per job.
      String key = job.serviceId() + "/" + job.jobId();
      DiscoveredService known = known(key, job);
      if (known != null) {
        seen.put(key, known);
        out.add(known);
      }
    }
    cache.keySet().retainAll(seen.keySet());
    return out;
  }

  private DiscoveredService known(String key, SubmittedJob job) {
    DiscoveredService cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Optional<Connection> c = scheduler.connection(job);
    if (c.isEmpty()) {
      return null;
    }
    String session = new String(shell.readFile(job.serviceDir() + "/session"), StandardCharsets.UTF_8).strip();
    String host = c.get().host();
    String node = host.equals("localhost") ? localHost : host;
    DiscoveredService found = new DiscoveredService(job.serviceId(), ServiceId.namePart(job.serviceId()), job.jobId(),
        node, host, c.get().port(), session, c.get().sidecarPorts(), c.get().requestedPort());
    cache.put(key, found);
    return found;
  }

  /** One round; returns the target groups per job name as written. */
  public Map<String, List<StaticConfig>> round() {
    Map<String, List<StaticConfig>> groups = spec.groups(services());
    for (var selector : spec.selectors()) {
      String text = writer.write(groups.getOrDefault(selector.jobName(), List.of()));
      String file = spec.fileOf(selector);
      if (!text.equals(written.get(file))) {
        shell.writeFile(file, text.getBytes(StandardCharsets.UTF_8), 0644);
        written.put(file, text);
      }
    }
    return groups;
  }

  /** Runs rounds until the monitor's job has recorded its exit or the thread is interrupted. */
  public void run(String monitorDir) {
    while (!Thread.currentThread().isInterrupted() && shell.readFile(monitorDir + "/exit_code").length == 0) {
      long start = System.nanoTime();
      try {
        round();
      } catch (RuntimeException e) {
        // A failed round (squeue briefly unavailable) keeps the last files; the next one retries.
        System.err.println("discovery round failed: " + e.getMessage());
      }
      // Rounds start one interval apart, however long a round took.
      long left = spec.intervalSeconds() * 1000L - (System.nanoTime() - start) / 1_000_000;
      try {
        Thread.sleep(Math.max(0, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
