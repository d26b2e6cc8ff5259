package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Command-line parsing and input errors: exit codes and messages, nothing started. */
class CliParsingTest {
  private static final Path RECIPES = Path.of("recipes/services").toAbsolutePath();

  @TempDir Path dir;
  private Path config;
  private Path state;

  @BeforeEach
  void writeConfig() throws IOException {
    state = dir.resolve("state");
    config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + state + "\nrecipes_dir: " + RECIPES + "\n");
  }

  private static CliResult run(String... args) {
    return LocalCli.call(args);
  }

  private CliResult runWithConfig(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return run(all);
  }

  @Test
  void helpExitsZeroAndListsTheActions() {
    CliResult r = run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: orchestrator", "--recipe=FILE", "--status", "--query-service-metrics",
        "--stop-service=ID", "Exit codes:");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void noActionIsAUsageError() {
    CliResult r = runWithConfig();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: no action given: choose one").endsWith("Try --help for usage.\n");
  }

  @Test
  void twoActionsAreAUsageError() {
    CliResult r = runWithConfig("--status", "--list-services");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("mutually exclusive").endsWith("Try --help for usage.\n");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliResult r = runWithConfig("--status", "--frobnicate");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Unknown option: '--frobnicate'").endsWith("Try --help for usage.\n");
  }

  @Test
  void queryWithOneArgumentIsAUsageError() {
    CliResult r = runWithConfig("--query-service-metrics", "6355d49f");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: ").endsWith("Try --help for usage.\n");
  }

  @Test
  void unknownOutputFormatIsAUsageError() {
    CliResult r = runWithConfig("--status", "--output", "xml");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("xml").endsWith("Try --help for usage.\n");
  }

  static Stream<Arguments> malformedRecipes() {
    return Stream.of(
        Arguments.of("port is not a number", """
            service:
              name: node_exporter
              ports:
                - abc
            """, 4, "service.ports[0]: "),
        Arguments.of("port above 65535", """
            service:
              name: node_exporter
              ports: [70000]
            """, 3, "service.ports[0]: "),
        Arguments.of("port 0", """
            service:
              name: node_exporter
              ports:
                - 0
            """, 4, "service.ports[0]: "),
        Arguments.of("unknown key", """
            service:
              name: node_exporter
              prots:
                - 9100
            """, 3, "service: unknown key 'prots', did you mean 'ports'?"),
        Arguments.of("target without service_id or host", """
            service:
              name: prometheus
              monitoring_targets:
                - job_name: node
                  port: 9100
            """, 4, "service.monitoring_targets[0]: a target needs service_id or host (or service: NAME, or session: true)"),
        Arguments.of("name with a semicolon", """
            service:
              name: "x;rm -rf /"
              command: bash
            """, 2, "service.name: invalid name"),
        Arguments.of("args not a list", """
            service:
              name: web
              command: python3
              args:
                mode: serve
            """, 5, "service.args: "),
        Arguments.of("bad indentation", """
            service:
              name: node_exporter
                ports:
              - 9100
            """, 3, "invalid YAML"),
        Arguments.of("duplicate job_name", """
            service:
              name: prometheus
              monitoring_targets:
                - host: node1
                  port: 9100
                  job_name: node
                - host: node2
                  port: 9100
                  job_name: node
            """, 9, "service.monitoring_targets[1].job_name: duplicate job_name 'node' (first on line 6)"),
        Arguments.of("health_check.retries 0", """
            service:
              name: web
              command: python3
              health_check:
                endpoint: /
                retries: 0
            """, 6, "service.health_check.retries: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRecipes")
  void malformedRecipeIsOneLocatedErrorAndStartsNothing(String what, String yaml, int line, String keyPathAndMessage)
      throws IOException {
    Path recipe = Files.writeString(dir.resolve("bad.yaml"), yaml);

    CliResult r = runWithConfig("--recipe", recipe.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("error: " + recipe + ":" + line + ": " + keyPathAndMessage);
    assertNoServicesInState();
  }

  @Test
  void missingRecipeFileIsAnInputError() {
    CliResult r = runWithConfig("--recipe", dir.resolve("nope.yaml").toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: file not found: " + dir.resolve("nope.yaml") + "\n");
    assertNoServicesInState();
  }

  @Test
  void configWithAnUnknownKeyIsALocatedInputError() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad-config.yaml"),
        "backend: local\nstate_dir: " + state + "\nrecipe_dir: /tmp\n");

    CliResult r = run("--config", bad.toString(), "--status");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("error: " + bad + ":3: unknown key 'recipe_dir', did you mean 'recipes_dir'?\n");
    assertThat(state).doesNotExist();
  }

  @Test
  void endpointOfAnUnknownIdIsAnInputError() {
    CliResult r = runWithConfig("--service-endpoint", "deadbeef");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("error: no service with ID 'deadbeef' (see --status for the services known)\n");
  }

  @Test
  void stopOfGarbageIdIsAnInputError() {
    CliResult r = runWithConfig("--stop-service", "abc;rm -rf /");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: 'abc;rm -rf /' is not a service ID");
  }

  @Test
  void statusOnEmptyStateShowsNone() {
    CliResult r = runWithConfig("--status");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        Services:
           (none)

        Monitors:
           (none)
        """);
  }

  private void assertNoServicesInState() {
    if (!Files.exists(state)) {
      return;
    }
    try (var orchestrator = new io.github.hpcorchestrator.BenchmarkOrchestrator(config)) {
      assertThat(orchestrator.servers().refresh()).isEmpty();
    }
    assertThat(state.resolve("services")).doesNotExist();
  }
}
