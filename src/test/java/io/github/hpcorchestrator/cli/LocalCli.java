package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The CLI in-process on the local backend with a private state folder, for integration tests. */
final class LocalCli {
  static final Path REPO = Path.of("").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path config;

  /** What one call printed and returned. */
  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + out + "\nstderr: " + err, e);
      }
    }
  }

  LocalCli(Path dir) throws IOException {
    config = Files.writeString(dir.resolve("config.yaml"), "backend: local\nstate_dir: " + dir.resolve("state")
        + "\nrecipes_dir: " + REPO.resolve("recipes/services") + "\nmetrics_dir: " + dir.resolve("metrics") + "\n");
  }

  Path config() {
    return config;
  }

  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs with --output json, expects exit 0, returns the document. */
  JsonNode json(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output", "json"));
    Result r = run(all.toArray(String[]::new));
    assertThat(r.code()).as("exit code of %s; stderr: %s", all, r.err()).isZero();
    return r.json();
  }

  /**
   * Starts the CLI as its own JVM in {@code cwd} (as a user's terminal would, and so that it can
   * be killed), writing its output to {@code out} and {@code err}.
   */
  Process start(Path cwd, Path out, Path err, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString()));
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
  }

  /** Runs the CLI as its own JVM in {@code cwd} and waits for it (at most {@code deadline}). */
  Result runIn(Path cwd, Duration deadline, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(cwd.getParent(), "out", ".txt");
    Path err = Files.createTempFile(cwd.getParent(), "err", ".txt");
    Process p = start(cwd, out, err, args);
    if (!p.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("CLI did not finish within " + deadline.toSeconds() + " s: " + List.of(args)
          + "\n" + Files.readString(err));
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Polls {@code probe} every 200 ms until it yields a value or {@code deadline} passes. */
  static <T> T await(String what, Duration deadline, Supplier<Optional<T>> probe) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
