package io.github.hpcorchestrator.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A process's stdout read as a pipe reader such as {@code $(...)} reads it: to its end. */
public final class ProcessOutput {
  private ProcessOutput() {}

  /**
   * Everything {@code p} writes to its stdout, once every process holding the pipe has let go of it;
   * fails the test when that takes longer than {@code deadline}.
   */
  public static String readToEnd(Process p, Duration deadline) throws InterruptedException {
    CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      return all.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the output did not end within " + deadline.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new AssertionError("the output could not be read", e.getCause());
    }
  }
}
