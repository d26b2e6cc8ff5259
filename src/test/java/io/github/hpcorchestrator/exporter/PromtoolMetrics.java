package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code promtool check metrics} on an exposition; the calling test is skipped without promtool. */
final class PromtoolMetrics {
  private PromtoolMetrics() {}

  /** Asserts that promtool finds no problem in {@code exposition}; returns what it printed. */
  static String assertPasses(String exposition) throws IOException, InterruptedException {
    Optional<Path> promtool = onPath();
    assumeTrue(promtool.isPresent(), "promtool is not on PATH");
    Path output = Files.createTempFile("promtool", ".out");
    try {
      Process process = new ProcessBuilder(List.of(promtool.get().toString(), "check", "metrics"))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("promtool check metrics:\n" + printed + "\non:\n" + exposition)
          .isZero();
      assertThat(printed).as("promtool's complaints on:\n" + exposition).isBlank();
      return printed;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
