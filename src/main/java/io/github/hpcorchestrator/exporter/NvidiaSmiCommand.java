package io.github.hpcorchestrator.exporter;

import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs nvidia-smi's GPU query as an argv list (no shell) with a timeout. Thread-safe. */
public final class NvidiaSmiCommand implements GpuExporter.Source {

  private final String executable;
  private final Duration timeout;

  /**
   * @param executable nvidia-smi's path, or a bare name looked up on PATH
   * @param timeout how long it may run before it is killed
   */
  public NvidiaSmiCommand(String executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
  }

  /** The command line run. */
  public List<String> argv() {
    return List.of(executable, "--query-gpu=" + NvidiaSmiCsvParser.QUERY, "--format=csv,noheader,nounits");
  }

  /**
   * Runs the query and returns what it printed.
   *
   * @throws IOException if nvidia-smi is missing, fails, or does not finish in time
   */
  @Override
  public String query() throws IOException {
    // Output goes to files rather than pipes so a hung or chatty nvidia-smi can never block a pipe.
    Path out = Files.createTempFile("nvidia-smi", ".out");
    Path err = Files.createTempFile("nvidia-smi", ".err");
    try {
      Process process = new ProcessBuilder(argv())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(executable + " did not finish within " + PrometheusDuration.format(timeout));
      }
      if (process.exitValue() != 0) {
        String printed = (Files.readString(err, StandardCharsets.UTF_8) + " "
            + Files.readString(out, StandardCharsets.UTF_8)).strip();
        throw new IOException(executable + " exited with " + process.exitValue()
            + (printed.isEmpty() ? "" : ": " + printed.lines().findFirst().orElse("")));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + executable, e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
