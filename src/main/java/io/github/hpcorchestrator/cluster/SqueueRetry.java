package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs a read-only SLURM command, repeated with growing pauses while slurmctld cannot be reached
 * (restarting, failing over) for at most a bound; asking again is safe because it only reads. Any
 * other failure, or a controller still gone after the bound, fails at once in one line.
 */
final class SqueueRetry {
  /**
   * What squeue prints when it cannot reach slurmctld (down, restarting, overloaded): worth asking
   * again after a pause, unlike a bad option or an unknown user.
   */
  private static final Pattern CONTROLLER_UNREACHABLE = Pattern.compile(
      "(?i)unable to contact slurm controller|connection refused|socket timed out|connection timed out"
      + "|communication connection failure|zero bytes were transmitted|connection reset");

  private Duration total = fromProperty();
  private Duration firstPause = Duration.ofSeconds(1);
  private Consumer<String> progress = line -> System.err.println(line);

  /** See {@link SlurmScheduler#controllerRetry}. */
  void bound(Duration total, Duration firstPause) {
    this.total = total;
    this.firstPause = firstPause;
  }

  void onRetry(Consumer<String> progress) {
    this.progress = progress;
  }

  private static Duration fromProperty() {
    String value = System.getProperty(SlurmScheduler.CONTROLLER_RETRY_PROPERTY);
    if (value != null && value.strip().matches("\\d{1,4}")) {
      return Duration.ofSeconds(Integer.parseInt(value.strip()));
    }
    return SlurmScheduler.CONTROLLER_RETRY;
  }

  /** The command's result once it succeeded. */
  CommandResult run(Shell shell, List<String> argv) {
    String name = argv.get(0);
    long start = System.nanoTime();
    long deadline = start + total.toNanos();
    Duration pause = firstPause;
    for (int attempt = 1; ; attempt++) {
      CommandResult r = shell.run(argv, Shell.SHORT_TIMEOUT);
      if (r.ok()) {
        return r;
      }
      String why = SlurmScheduler.oneLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
      if (!CONTROLLER_UNREACHABLE.matcher(r.stderr() + r.stdout()).find()) {
        throw new OperationFailedException(name + " failed: " + why);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        long spent = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        throw new OperationFailedException("the SLURM controller cannot be reached (" + name + " tried " + attempt
            + (attempt == 1 ? " time" : " times") + " over " + spent + " s): " + why);
      }
      Duration wait = Duration.ofNanos(Math.min(pause.toNanos(), left));
      progress.accept(name + ": the SLURM controller cannot be reached (" + why + "); retrying in "
          + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + " s");
      sleep(wait);
      pause = pause.plus(firstPause);
    }
  }

  /** Sleeps {@code d} in full, or fails in one line when interrupted. */
  static void sleep(Duration d) {
    try {
      // Not toMillis(): a remainder under 1 ms would become a zero sleep and a burst of retries.
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(d.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while waiting for SLURM", e);
    }
  }
}
