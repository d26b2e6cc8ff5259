package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The CLI in-process on the local backend with a private state folder, for integration tests. */
final class LocalCli {
  static final Path REPO = Path.of("").toAbsolutePath();
  private final Path config;

  LocalCli(Path dir) throws IOException {
    config = Files.writeString(dir.resolve("config.yaml"), "backend: local\nstate_dir: " + dir.resolve("state")
        + "\nrecipes_dir: " + REPO.resolve("recipes/services") + "\nmetrics_dir: " + dir.resolve("metrics") + "\n");
  }

  Path config() {
    return config;
  }

  /** Writes {@code dir/sleeper.yaml}, a service that sleeps 300 s, and returns it. */
  static Path sleeperRecipe(Path dir) throws IOException {
    return Files.writeString(dir.resolve("sleeper.yaml"), """
        service:
          name: sleeper
          command: sleep
          args: ["300"]
        """);
  }

  /** Writes {@code dir/session.yaml}: a node exporter and a Prometheus scraping the session every {@code scrapeInterval}. */
  static Path sessionRecipe(Path dir, String scrapeInterval) throws IOException {
    return Files.writeString(dir.resolve("session.yaml"), String.join("\n",
        "services:",
        "  - name: node_exporter",
        "    ports: [9100]",
        "  - name: prometheus",
        "    scrape_interval: " + scrapeInterval,
        "    monitoring_targets:",
        "      - session: true",
        "        job_name: session",
        "    ports: [9090]", ""));
  }

  /** Stops every service this state knows; fails the test if that fails. */
  void stopAll() {
    CliResult r = run("--stop-all-services");
    assertThat(r.code()).as("--stop-all-services: %s", r.err()).isZero();
  }

  /** A test's clean-up: stops every service this state knows, then kills what is left of {@code groups}. */
  void cleanUp(Collection<String> groups) throws IOException, InterruptedException {
    run("--stop-all-services");
    ProcessGroups.killLeftovers(groups);
  }

  /** Runs the CLI in this JVM with this folder's config. */
  CliResult run(String... args) {
    return call(config, args);
  }

  /** Runs the CLI in this JVM with {@code --config config} before {@code args}: the one in-process runner. */
  static CliResult call(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return call(all.toArray(String[]::new));
  }

  /** Runs the CLI in this JVM with exactly {@code args}, as a user's command line would. */
  static CliResult call(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliResult(code, out.toString(), err.toString());
  }

  /** Runs with --output json, expects exit 0, returns the document. */
  JsonNode json(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output", "json"));
    CliResult r = run(all.toArray(String[]::new));
    assertThat(r.code()).as("exit code of %s; stderr: %s", all, r.err()).isZero();
    return r.json();
  }

  /**
   * Starts the CLI as its own JVM in {@code cwd} (as a user's terminal would, and so that it can
   * be killed), writing its output to {@code out} and {@code err}.
   */
  Process start(Path cwd, Path out, Path err, String... args) throws IOException {
    return CliProcess.java().in(cwd).start(out, err, withConfig(args));
  }

  /** Runs the CLI as its own JVM in {@code cwd} and waits for it (at most {@code deadline}). */
  CliResult runIn(Path cwd, Duration deadline, String... args) throws IOException, InterruptedException {
    return CliProcess.java().in(cwd).run(cwd.getParent(), deadline, withConfig(args));
  }

  private List<String> withConfig(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return all;
  }
}
