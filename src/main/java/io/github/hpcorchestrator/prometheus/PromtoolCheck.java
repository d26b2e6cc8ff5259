package io.github.hpcorchestrator.prometheus;

import io.github.hpcorchestrator.files.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Validates prometheus.yml text with {@code promtool check config} before a Prometheus is started
 * with it. A missing promtool is a result ({@link PromtoolResult.Outcome#NOT_FOUND}), not an
 * exception, so callers can decide whether checking is optional.
 */
public final class PromtoolCheck {

  private final Optional<Path> promtool;
  private final Duration timeout;

  /**
   * @param promtool the promtool executable; empty means none is available
   * @param timeout how long one check may take before promtool is killed
   */
  public PromtoolCheck(Optional<Path> promtool, Duration timeout) {
    this.promtool = promtool;
    this.timeout = timeout;
  }

  /** A check using the first {@code promtool} on this process' PATH, 30 s per check. */
  public static PromtoolCheck onPath() {
    return new PromtoolCheck(findExecutable("promtool", System.getenv("PATH")), Duration.ofSeconds(30));
  }

  /** The first executable file named {@code name} in a PATH-style folder list; empty if none or no list. */
  static Optional<Path> findExecutable(String name, String pathVariable) {
    if (pathVariable == null || pathVariable.isEmpty()) {
      return Optional.empty();
    }
    return Stream.of(pathVariable.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
        .findFirst();
  }

  /** The promtool this check runs, if any. */
  public Optional<Path> promtool() {
    return promtool;
  }

  /**
   * Writes {@code configText} to a temporary prometheus.yml and runs {@code promtool check config}
   * on it. Relative file_sd paths in the config resolve against that temporary folder, where they
   * do not exist; promtool only warns about that.
   */
  public PromtoolResult check(String configText) {
    if (promtool.isEmpty()) {
      return new PromtoolResult(PromtoolResult.Outcome.NOT_FOUND, "promtool not found");
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("promtool-check");
      Path config = Files.writeString(dir.resolve("prometheus.yml"), configText, StandardCharsets.UTF_8);
      // Output goes to a file rather than a pipe so a chatty promtool can never block on a full pipe.
      Path output = dir.resolve("promtool.out");
      Process process = new ProcessBuilder(List.of(promtool.get().toString(), "check", "config", config.toString()))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new PromtoolResult(PromtoolResult.Outcome.FAILED,
            "promtool did not finish within " + PrometheusDuration.format(timeout));
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8).strip();
      return new PromtoolResult(
          process.exitValue() == 0 ? PromtoolResult.Outcome.VALID : PromtoolResult.Outcome.INVALID, printed);
    } catch (IOException e) {
      return new PromtoolResult(PromtoolResult.Outcome.FAILED, "could not run " + promtool.get() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PromtoolResult(PromtoolResult.Outcome.FAILED, "interrupted while waiting for promtool");
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      FileTrees.remove(dir);
    } catch (IOException | UncheckedIOException e) {
      // A leftover file in the temp folder is harmless; the check's result matters more.
    }
  }
}
