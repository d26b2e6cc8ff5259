package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.prometheus.DiscoveredService;
import java.util.List;

/** What a service kind may ask of the orchestrator while it plans a job: a client's needs and more. */
public interface LaunchContext extends ClientContext {

  /**
   * The executable to run for {@code tool} (e.g. "prometheus") on the side where jobs run; on the
   * local backend it is located (or installed) first.
   */
  String executable(String tool);

  /**
   * The program that runs {@code tool} for {@code spec}: in its container, the image's own
   * {@code tool} from the image's PATH; natively, {@link #executable}.
   */
  default String program(io.github.hpcorchestrator.recipe.ServiceSpec spec, String tool) {
    return spec.container().isPresent() ? tool : executable(tool);
  }

  /** Every service that runs now and has published where it listens. */
  List<DiscoveredService> runningServices();

  /** The session the planned service starts in. */
  String sessionId();

  /** "local" or "slurm". */
  String backend();

  /** The scheduler's folder of service folders on the side where jobs run (see Scheduler#rootDir). */
  String schedulerRoot();

  /**
   * The orchestrator's own folder on the side where jobs run (SLURM: the expanded remote_dir;
   * local: the state dir), for data kept across jobs, such as models.
   */
  String dataDir();

  /**
   * New credentials for the service being planned (a Prometheus with auth); the orchestrator
   * keeps them in the user's private state once the service starts.
   */
  io.github.hpcorchestrator.prometheus.PrometheusCredentials newCredentials();
}
