package io.github.hpcorchestrator.monitor;

import io.github.hpcorchestrator.cluster.LocalScheduler;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.prometheus.DiscoverySpec;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Entry point of the discovery sidecar that runs inside a Prometheus job, where Prometheus runs:
 * {@code java -cp ... io.github.hpcorchestrator.monitor.DiscoveryMain <monitor dir>/discovery.json}.
 * It keeps working while the user's machine is off.
 */
public final class DiscoveryMain {
  private DiscoveryMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DiscoveryMain DISCOVERY_JSON");
      System.exit(2);
    }
    Path specFile = Path.of(args[0]).toAbsolutePath();
    DiscoverySpec spec = DiscoverySpec.fromJson(Files.readString(specFile));
    LocalShell shell = new LocalShell();
    Scheduler scheduler = spec.backend().equals("slurm")
        ? new SlurmScheduler(shell, spec.servicesRoot(), SlurmDefaults.none(), Clock.systemDefaultZone())
        : new LocalScheduler(Path.of(spec.servicesRoot()), shell, Duration.ofSeconds(10));
    new DiscoveryLoop(spec, scheduler, shell).run(specFile.getParent().toString());
  }
}
