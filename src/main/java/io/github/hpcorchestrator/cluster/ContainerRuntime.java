package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Apptainer (or Singularity) on the side where jobs are submitted (the login node, or this
 * machine): whether the setup lines make one available, where a service's image lives, and
 * building a missing image there before the job is submitted, since compute nodes may have no
 * internet. Each set of setup lines is asked about once per instance (one CLI call).
 */
public final class ContainerRuntime {
  /** The runtimes looked for, in order of preference. */
  public static final List<String> RUNTIMES = List.of("apptainer", "singularity");
  /** How long one image build may take before it counts as failed. */
  public static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);
  private static final String MARK = "hpc-orchestrator-runtime:";
  private static final Duration BUILD_PROGRESS_EVERY = Duration.ofSeconds(15);

  private final Shell shell;
  private final String where;
  private final String hint;
  private final Supplier<String> root;
  private final List<String> backendSetup;
  private final Consumer<String> progress;
  private final Map<List<String>, Optional<String>> answers = new HashMap<>();

  /**
   * @param shell runs commands where jobs are submitted
   * @param where that side in messages: "the login node" or "this machine"
   * @param hint how to get a runtime there, for the message when there is none
   * @param root folder relative image paths resolve against; images built from a docker source
   *     alone go to its images/
   * @param backendSetup setup lines every job of the backend runs before the recipe's (slurm.setup)
   * @param progress receives one line per step of an image build
   */
  public ContainerRuntime(Shell shell, String where, String hint, Supplier<String> root, List<String> backendSetup,
      Consumer<String> progress) {
    this.shell = shell;
    this.where = where;
    this.hint = hint;
    this.root = root;
    this.backendSetup = List.copyOf(backendSetup);
    this.progress = progress;
  }

  /** That side in messages: "the login node" or "this machine". */
  public String where() {
    return where;
  }

  /** How to get a runtime on {@link #where()}, for the message when there is none. */
  public String hint() {
    return hint;
  }

  /** "apptainer" or "singularity", whichever a job with {@code recipeSetup} finds first, or empty. */
  public Optional<String> find(List<String> recipeSetup) {
    List<String> lines = new ArrayList<>(backendSetup);
    lines.addAll(recipeSetup);
    return answers.computeIfAbsent(lines, this::ask);
  }

  private Optional<String> ask(List<String> lines) {
    StringBuilder script = new StringBuilder();
    lines.forEach(line -> script.append(line).append('\n'));
    // The mark sets the answer apart from whatever the setup lines print themselves.
    script.append("for r in");
    RUNTIMES.forEach(r -> script.append(' ').append(r));
    script.append("; do command -v \"$r\" >/dev/null 2>&1 && { printf '\\n" + MARK + "%s\\n' \"$r\"; exit 0; }; done\n");
    script.append("printf '\\n" + MARK + "\\n'\n");
    CommandResult r = shell.run(List.of("bash", "-c", script.toString()), Shell.SHORT_TIMEOUT);
    Optional<String> answer = r.stdout().lines().filter(l -> l.startsWith(MARK)).reduce((a, b) -> b)
        .map(l -> l.substring(MARK.length()).strip());
    if (answer.isEmpty()) {
      throw new OperationFailedException("could not look for apptainer on " + where + " after the setup lines"
          + " (exit code " + r.exitCode() + "): " + oneLine(r.stderr()));
    }
    return answer.filter(RUNTIMES::contains);
  }

  /** The absolute path of {@code container}'s image on this side. */
  public String imagePath(ContainerSpec container) {
    // Asked here, not when made: a call that runs no container never waits for the remote $HOME.
    return ImagePath.resolve(container, root.get(), shell.home().toString());
  }

  /**
   * Makes sure the image of {@code container} (its path already resolved) exists: present, or
   * built from its docker source with {@code runtime} under a lock on {@code <image>.lock}.
   *
   * @throws OperationFailedException when it is missing and cannot be built, with the reason
   */
  public void ensureImage(String serviceId, ContainerSpec container, String runtime, List<String> recipeSetup) {
    String image = container.imagePath().orElseThrow();
    if (shell.run(List.of("test", "-e", image), Shell.SHORT_TIMEOUT).ok()) {
      return;
    }
    if (container.dockerSource().isEmpty()) {
      throw new OperationFailedException(serviceId + ": container image " + image + " is missing on " + where
          + " and the recipe has no docker_source to build it from: build it there ('" + runtime + " build "
          + image + " docker://...') or set container.image_path to a prebuilt image");
    }
    String source = container.dockerSource().get();
    progress.accept(serviceId + ": building container image " + image + " from " + source + " on " + where
        + " with " + runtime + " (once; later jobs reuse it)...");
    long started = System.nanoTime();
    CommandResult r = waitWithProgress(CompletableFuture.supplyAsync(
        () -> shell.run(buildCommand(image, source, runtime, recipeSetup), BUILD_TIMEOUT)), serviceId, image, started);
    if (!r.ok()) {
      throw new OperationFailedException(serviceId + ": building " + image + " from " + source + " on " + where
          + " failed (exit code " + r.exitCode() + "): " + lastLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
    }
    String size = r.stdout().lines().filter(l -> l.startsWith(MARK)).map(l -> l.substring(MARK.length()).strip())
        .reduce((a, b) -> b).orElse("");
    progress.accept(serviceId + ": image " + image + " ready" + (size.matches("\\d{1,18}") ? " ("
        + size(Long.parseLong(size)) + ")" : "") + " after " + seconds(started) + " s");
  }

  /** The build on this side: setup lines, then under the lock a build to .part that only a success renames. */
  private List<String> buildCommand(String image, String source, String runtime, List<String> recipeSetup) {
    // The setup lines run with no positional parameters, as in a job: `source .../activate` passes
    // "$@" on to conda activate. The arguments wait under a name no setup line is likely to use.
    StringBuilder script = new StringBuilder("hpc_orchestrator_build=(\"$@\"); set --\n");
    backendSetup.forEach(line -> script.append(line).append('\n'));
    recipeSetup.forEach(line -> script.append(line).append('\n'));
    script.append("""
        image=${hpc_orchestrator_build[0]} source=${hpc_orchestrator_build[1]} runtime=${hpc_orchestrator_build[2]}
        mkdir -p -- "$(dirname -- "$image")" || exit 1
        exec 9>"$image.lock" || exit 1
        # Another call may be building the same image: wait for it, then find the image done.
        flock -w LOCK_WAIT_S 9 || { echo "timed out waiting for the lock $image.lock" >&2; exit 1; }
        if [ ! -e "$image" ]; then
          rm -f -- "$image.part"
          # Only the end of the build's log comes back: the reason of a failure is there.
          set -o pipefail
          "$runtime" build --force "$image.part" "$source" </dev/null 2>&1 | tail -n 20 >&2 \\
            || { rm -f -- "$image.part"; exit 1; }
          mv -f -- "$image.part" "$image" || exit 1
        fi
        printf '\\nMARK%s\\n' "$(stat -c %s -- "$image")"
        """.replace("LOCK_WAIT_S", Long.toString(BUILD_TIMEOUT.toSeconds())).replace("MARK", MARK));
    return List.of("bash", "-c", script.toString(), "build-image", image, source, runtime);
  }

  private CommandResult waitWithProgress(CompletableFuture<CommandResult> build, String serviceId, String image,
      long started) {
    while (true) {
      try {
        return build.get(BUILD_PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        progress.accept(serviceId + ": still building " + image + " (" + seconds(started) + " s)");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new OperationFailedException(serviceId + ": building " + image + " failed: " + e.getCause(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperationFailedException(serviceId + ": interrupted while building " + image, e);
      }
    }
  }

  private static String size(long bytes) {
    return bytes < 1024 * 1024 ? (bytes + 1023) / 1024 + " KB"
        : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }

  private static long seconds(long startedNanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
  }

  private static String oneLine(String text) {
    return text.strip().replace('\n', ' ');
  }

  private static String lastLine(String text) {
    return text.strip().lines().reduce((a, b) -> b).orElse("(no output)");
  }
}
