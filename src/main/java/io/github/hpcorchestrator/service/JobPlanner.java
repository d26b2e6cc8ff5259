package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.ContainerRuntime;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a recipe's service into the job that runs it: the kind's plan, the exporters' sidecars,
 * the recipe's setup lines, and its container when a container runtime is there. Without one, a
 * kind that can run natively does so (said once), and any other fails before anything starts.
 */
public final class JobPlanner {
  private static final Set<String> SECRET_FILES = Set.of("tls.key", "scrape.password", ClientJobs.PASSWORD_FILE);
  private final ContainerRuntime containers;
  private final Consumer<String> progress;
  private final Set<String> told = new HashSet<>();

  /**
   * @param containers the container runtime where jobs are submitted
   * @param progress receives the one line that says a service runs without its container
   */
  public JobPlanner(ContainerRuntime containers, Consumer<String> progress) {
    this.containers = containers;
    this.progress = progress;
  }

  /**
   * The job of {@code spec} as service {@code serviceId}.
   *
   * @param strict whether a container that cannot run fails the plan; a dry run only says so
   * @throws OperationFailedException (strict) when the recipe's container needs a runtime that is not there
   */
  JobSpec plan(ServiceKind kind, ServiceSpec spec, String serviceId, LaunchContext context, boolean strict) {
    ServiceSpec effective = spec;
    String runtime = JobSpec.APPTAINER;
    if (spec.container().isPresent()) {
      Optional<String> found = containers.find(spec.setup());
      if (found.isPresent()) {
        runtime = found.get();
        effective = spec.withContainer(Optional.of(resolved(spec.container().get())));
      } else if (kind.runsWithoutContainer()) {
        once(spec.name() + ": no apptainer or singularity on " + containers.where() + " (after the setup lines):"
            + " running " + spec.name() + " natively, without its container");
        effective = spec.withContainer(Optional.empty());
      } else if (strict) {
        throw new OperationFailedException(missing(spec));
      } else {
        once("dry run: " + missing(spec));
        effective = spec.withContainer(Optional.of(resolved(spec.container().get())));
      }
    }
    JobSpec job = ExporterSidecars.add(kind.plan(effective, serviceId, context), effective, kind, context)
        .withSetup(spec.setup());
    return job.container().isPresent() ? job.withContainer(job.container(), runtime) : job;
  }

  /**
   * Makes sure the image of {@code job}'s container exists where jobs are submitted, building it
   * there when it is missing (compute nodes may have no internet).
   */
  void prepare(JobSpec job) {
    job.container().ifPresent(c -> containers.ensureImage(job.serviceId(), c, job.containerRuntime(), job.setup()));
  }

  /** {@code script} followed by the files {@code job} writes into its folder, secrets left out. */
  static String describe(String script, JobSpec job) {
    StringBuilder out = new StringBuilder(script);
    job.files().forEach((name, content) -> {
      out.append("\n# ---- file ").append(name).append(" (written into the service folder) ----\n");
      // Keys and passwords never appear in printed output.
      out.append(SECRET_FILES.contains(name) ? "(secret, not shown)\n" : content);
    });
    return out.toString();
  }

  private ContainerSpec resolved(ContainerSpec container) {
    return container.withImagePath(containers.imagePath(container));
  }

  private String missing(ServiceSpec spec) {
    return "service '" + spec.name() + "' runs in a container, but neither apptainer nor singularity is on "
        + containers.where() + " after the setup lines: " + containers.hint();
  }

  private void once(String line) {
    if (told.add(line)) {
      progress.accept(line);
    }
  }
}
