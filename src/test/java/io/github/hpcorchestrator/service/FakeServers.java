package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.ContainerRuntime;
import io.github.hpcorchestrator.cluster.FakeScheduler;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.state.SecretStore;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.transport.LocalShell;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A ServersModule over a {@link FakeScheduler} and a real state store in {@code dir}, with a
 * {@code counted} kind that counts its plans (and looks at the running services, and on request
 * draws credentials, as a monitor's plan does). Shared by the unit tests of the modules above the scheduler.
 */
public final class FakeServers implements AutoCloseable {
  /** The fixed time every record is stamped with. */
  public static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  public final FakeScheduler scheduler;
  public final StateStore store;
  public final SecretStore secrets;
  public final CountingKind kind = new CountingKind();
  public final ServersModule servers;
  private final LocalShell shell = new LocalShell();

  /** Servers of the {@code backend} ("local" or "slurm") keeping state in {@code dir}. */
  public FakeServers(Path dir, String backend) {
    scheduler = new FakeScheduler(backend);
    store = StateStore.open(dir);
    secrets = new SecretStore(dir);
    JobPlanner planner = new JobPlanner(new ContainerRuntime(shell, "this machine", "install Apptainer",
        dir::toString, List.of(), s -> { }), s -> { });
    servers = new ServersModule(scheduler, shell, store, new ServiceKinds(List.of(new GenericKind(), kind)),
        new ServiceId(new SecureRandom()), Function.identity(), new ReadinessWaiter(shell, s -> { }),
        new RuntimeBundle(shell, dir::toString, List.of(), Optional.empty()), secrets, planner,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A service {@code name} that runs {@code sleep 60}, without ports or health check. */
  public static ServiceSpec sleeper(String name) {
    return new ServiceSpec(name, "", Optional.of("sleep"), List.of("60"), Optional.empty(), ResourceSpec.none(),
        Map.of(), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of(),
        List.of());
  }

  @Override
  public void close() {
    store.close();
    shell.close();
  }

  /** The kind of services named "counted": a generic service whose plans are counted per ID. */
  public static final class CountingKind implements ServiceKind {
    private final GenericKind generic = new GenericKind();
    /** Plans made, per service ID drawn. */
    public final Map<String, Integer> plans = new HashMap<>();
    private boolean credentials;
    /** Runs at the start of each plan: a test's concurrent start, or a plan that fails. */
    public Runnable onPlan = () -> { };

    /** Makes later plans draw credentials, as a Prometheus with auth does (a bcrypt hash: seconds). */
    public void drawCredentials() {
      credentials = true;
    }

    /** How many plans were made, all IDs together. */
    public int planCount() {
      return plans.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String name() {
      return "counted";
    }

    @Override
    public int defaultPort() {
      return 0;
    }

    @Override
    public Optional<String> defaultHealthEndpoint() {
      return Optional.empty();
    }

    @Override
    public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
      onPlan.run();
      plans.merge(serviceId, 1, Integer::sum);
      context.runningServices(); // a monitor's plan reads them: one refresh per plan
      if (credentials) {
        context.newCredentials();
      }
      return generic.plan(spec, serviceId, context);
    }
  }
}
