package io.github.hpcorchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as its own JVM, as a user's terminal runs it (and so that it can be killed): the one
 * out-of-process runner of the tests; each {@code with...} returns a changed copy.
 */
final class CliProcess {
  private final List<String> wrapper;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Optional<Path> cwd;
  private final String mainClass;
  private final List<String> launcher;

  private CliProcess(List<String> wrapper, List<String> jvmOptions, Map<String, String> environment,
      Optional<Path> cwd, String mainClass, List<String> launcher) {
    this.wrapper = List.copyOf(wrapper);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.environment = Map.copyOf(environment);
    this.cwd = cwd;
    this.mainClass = mainClass;
    this.launcher = List.copyOf(launcher);
  }

  /** This test JVM's java and class path, in the test's working folder, with its environment. */
  static CliProcess java() {
    return new CliProcess(List.of(), List.of(), Map.of(), Optional.empty(), Main.class.getName(), List.of());
  }

  /** Started through the jar's entry point, the front-end that may take the warm path (a door). */
  CliProcess throughFront() {
    return new CliProcess(wrapper, jvmOptions, environment, cwd, "io.github.hpcorchestrator.front.FrontMain", launcher);
  }

  /**
   * The JVM started as ./orchestrator starts it, beside the launcher's bash ({@code src/sh/launch.sh}):
   * a call may give back its exit code and stay on as the connection holder.
   */
  CliProcess throughLauncher() {
    Path script = Path.of("src/sh/launch.sh").toAbsolutePath();
    return new CliProcess(wrapper, jvmOptions, environment, cwd, mainClass,
        List.of("bash", "-c", "source \"$0\" && orchestrator_run \"\" \"$@\"", script.toString()));
  }

  /** The JVM started through {@code argv} first (e.g. {@code ip netns exec NS}). */
  CliProcess wrappedIn(List<String> argv) {
    return new CliProcess(argv, jvmOptions, environment, cwd, mainClass, launcher);
  }

  /** With these JVM options (e.g. {@code -Dproperty=value}) before the main class. */
  CliProcess withJvmOptions(List<String> options) {
    return new CliProcess(wrapper, options, environment, cwd, mainClass, launcher);
  }

  /** With these variables added to the inherited environment. */
  CliProcess withEnvironment(Map<String, String> variables) {
    return new CliProcess(wrapper, jvmOptions, variables, cwd, mainClass, launcher);
  }

  /** Run in folder {@code dir}. */
  CliProcess in(Path dir) {
    return new CliProcess(wrapper, jvmOptions, environment, Optional.of(dir), mainClass, launcher);
  }

  /** Starts the CLI with {@code args}, writing its output to {@code out} and {@code err}. */
  Process start(Path out, Path err, List<String> args) throws IOException {
    ProcessBuilder pb = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
    return pb.start();
  }

  /** The process of the CLI with {@code args}, its output not redirected yet. */
  ProcessBuilder builder(List<String> args) {
    List<String> argv = new ArrayList<>(wrapper);
    argv.addAll(launcher);
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmOptions);
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(environment);
    cwd.ifPresent(dir -> pb.directory(dir.toFile()));
    return pb;
  }

  /**
   * Runs the CLI with {@code args}, its output in new files under {@code scratch}, and waits at most
   * {@code deadline}; a CLI still running then is killed and fails the test with its stderr.
   */
  CliResult run(Path scratch, Duration deadline, List<String> args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    Process p = start(out, err, args);
    if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("CLI did not finish within " + deadline.toSeconds() + " s: " + args
          + "\n" + Files.readString(err));
    }
    return new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
