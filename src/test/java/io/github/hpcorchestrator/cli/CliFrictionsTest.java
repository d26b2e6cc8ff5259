package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.status.MonitorStatusJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI frictions of issue 13, each as the behaviour a new user should meet. */
class CliFrictionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private LocalCli cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
  }

  /** Without --config: what a user typing the bare command sees. */
  private static CliResult bare(String... args) {
    return LocalCli.call(args);
  }

  @Test
  void helpShowsEachParameterOnceInGroups() {
    CliResult r = bare("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: orchestrator ACTION [OPTIONS]")
        .contains("--query-service-metrics ID QUERY  ", "--collect-metrics ID QUERY FILE  ", "--report ID [FILE]  ")
        .doesNotContain("ID QUERY ID QUERY", "FILE ID QUERY")
        .contains("\nServices:\n", "\nMonitors:\n", "\nQueries and reports:\n", "\nSessions:\n",
            "\nOutput and configuration:\n");
    for (String option : List.of("--recipe=FILE", "--status", "--tunnel=LOCAL_PORT", "--show-credentials=ID",
        "--stop-session=SESSION_ID", "--output=FORMAT", "-v, --verbose", "-V, --version")) {
      assertThat(r.out()).as(option).contains("  " + option);
    }
  }

  @Test
  void everyOptionIsInAHelpGroup() {
    var spec = new picocli.CommandLine(new OrchestratorCommand(null, null)).getCommandSpec();
    List<String> grouped = HelpText.GROUPS.values().stream().flatMap(List::stream).toList();

    assertThat(spec.options()).allSatisfy(o -> assertThat(grouped).as("help groups").contains(o.longestName()));
  }

  @Test
  void noArgumentsPrintsTheShortUsage() {
    CliResult r = bare();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line.length()).isLessThan(120));
    assertThat(r.err()).startsWith("error: no action given: choose one, e.g. --status")
        .endsWith("Try --help for usage.\n");
  }

  @Test
  void aMistypedFlagGetsASuggestion() {
    CliResult r = bare("--stauts");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Unknown option: '--stauts', did you mean '--status'?\n");
  }

  @Test
  void anOptionOfAnotherActionIsAUsageError() {
    CliResult tunnel = cli.run("--status", "--tunnel", "19090");
    CliResult dryRun = cli.run("--list-monitors", "--dry-run");

    assertThat(tunnel.code()).isEqualTo(2);
    assertThat(tunnel.out()).isEmpty();
    assertThat(tunnel.err()).startsWith("error: --tunnel does not apply to --status (it goes with --service-endpoint,"
        + " --monitor-endpoint)\n");
    assertThat(dryRun.code()).isEqualTo(2);
    assertThat(dryRun.err()).startsWith("error: --dry-run does not apply to --list-monitors");
    assertThat(cli.run("--status", "--follow").err()).startsWith("error: --follow does not apply to --status (it goes"
        + " with --logs)");
  }

  @Test
  void underJsonOutputEveryErrorIsJson() throws IOException {
    CliResult parse = bare("--output", "json", "--stauts");
    CliResult input = cli.run("--output", "json", "--monitor-status", "deadbeef");
    CliResult usage = cli.run("--output=json");

    for (CliResult r : List.of(parse, input, usage)) {
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      JsonNode error = JSON.readTree(r.err());
      assertThat(error.get("exit_code").asInt()).isEqualTo(2);
      assertThat(error.get("error").asText()).isNotEmpty();
    }
    assertThat(JSON.readTree(input.err()).get("error").asText())
        .isEqualTo("no service with ID 'deadbeef' (see --status for the services known)");
  }

  @Test
  void aRecipeNameIsFoundInTheRecipesFolder() {
    CliResult r = cli.run("--recipe", "node_exporter", "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("node_exporter");
  }

  @Test
  void aRecipeNameIsFoundBesideOrUnderServices() throws IOException {
    Path recipes = Files.createDirectories(dir.resolve("recipes"));
    Path inServices = Files.writeString(Files.createDirectories(recipes.resolve("services")).resolve("a.yaml"), "x");
    Path top = Files.writeString(recipes.resolve("b.yaml"), "x");

    assertThat(RecipeActions.resolve(Path.of("a.yaml"), recipes)).isEqualTo(inServices);
    assertThat(RecipeActions.resolve(Path.of("a"), recipes)).isEqualTo(inServices);
    assertThat(RecipeActions.resolve(Path.of("b"), recipes)).isEqualTo(top);
    assertThat(RecipeActions.resolve(Path.of("nope"), recipes)).isEqualTo(Path.of("nope"));
  }

  @Test
  void aSessionRecipeNameIsFoundInTheSessionsFolderBesideTheServicesOne() throws IOException {
    Path services = Files.createDirectories(dir.resolve("recipes/services"));
    Path session = Files.writeString(Files.createDirectories(dir.resolve("recipes/sessions")).resolve("s.yaml"), "x");

    assertThat(RecipeActions.resolve(Path.of("s"), services).toAbsolutePath().normalize()).isEqualTo(session);
  }

  @Test
  void timesArePlainNumbersWithIsoStringsBeside() {
    MonitorStatus status = new MonitorStatus("prometheus_0a1b2c3d", "running", "4300", List.of("node1"),
        1796169588.609, Optional.of(1796169590.0));

    String json = Printer.json(MonitorStatusJson.write(status, Printer.object()));

    assertThat(json).doesNotContain("E9").contains("\"submitted_at\" : 1796169588.609", "\"started_at\" : 1796169590,",
        "\"submitted_at_iso\" : \"2026-12-01T23:59:48.609Z\"", "\"started_at_iso\" : \"2026-12-01T23:59:50Z\"");
  }

  @Test
  void versionIsTheBuildsVersion() {
    CliResult r = bare("--version");

    assertThat(r.code()).isZero();
    assertThat(r.out()).matches("hpc-orchestrator \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
  }

  @Test
  void libraryLogsAreOffUnlessVerbose() throws IOException {
    Properties defaults = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("/simplelogger.properties")) {
      defaults.load(in);
    }

    assertThat(defaults.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("off");
    assertThat(Main.logLevel("--status")).isEqualTo("off");
    assertThat(Main.logLevel("--status", "--verbose")).isEqualTo("info");
    assertThat(Main.logLevel("-v", "--status")).isEqualTo("info");
  }

  @Test
  void tunnelSaysWhereToLogInButNotThePassword() {
    PrometheusCredentials c = new PrometheusCredentials("orchestrator", "s3cret-pass", "scrape", "x", "", "");

    String hint = EndpointActions.loginHint(Optional.of(c), "https://127.0.0.1:19090/", "prometheus_0a1b2c3d");

    assertThat(hint).isEqualTo("UI: https://127.0.0.1:19090/  user: orchestrator  password: run --show-credentials"
        + " prometheus_0a1b2c3d").doesNotContain("s3cret-pass");
  }

  @Test
  void aBusyTunnelPortIsRecognisedThroughTheForwardsWrapping() {
    var busy = new io.github.hpcorchestrator.OperationFailedException("cannot forward 127.0.0.1:19090",
        new java.net.BindException("Address already in use"));

    assertThat(EndpointActions.causedByBind(busy)).isTrue();
    assertThat(EndpointActions.causedByBind(new IllegalStateException("session closed"))).isFalse();
  }

  @Test
  void credentialsOfAnUnknownServiceAreAnInputError() {
    CliResult r = cli.run("--show-credentials", "deadbeef");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("error: no service with ID 'deadbeef' (see --status for the services known)\n");
  }
}
