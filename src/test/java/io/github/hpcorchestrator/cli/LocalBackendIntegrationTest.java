package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on the local backend with the real node exporter and Prometheus, in-process through
 * {@link Main#run}. Each test has its own state folder and stops everything it started.
 */
@Tag("integration")
class LocalBackendIntegrationTest {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final Path RECIPES = REPO.resolve("recipes/services");
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path config;
  /** Job IDs (process groups) of every service a test saw, checked and cleaned up afterwards. */
  private final Set<String> jobs = new LinkedHashSet<>();

  @BeforeEach
  void writeConfig() throws IOException {
    config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + dir.resolve("state") + "\nrecipes_dir: " + RECIPES + "\n");
  }

  @AfterEach
  void stopEverything() {
    try {
      CliResult r = run("--stop-all-services");
      assertThat(r.code()).as("--stop-all-services: %s", r.err()).isZero();
      for (String job : jobs) {
        await("process group " + job + " gone", () -> ProcessGroups.members(job).isEmpty() ? Optional.of(true)
            : Optional.empty());
      }
    } finally {
      // Whatever a failed stop left behind must not outlive the test.
      for (String job : jobs) {
        if (!ProcessGroups.members(job).isEmpty()) {
          try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + job).start().waitFor();
          } catch (IOException | InterruptedException e) {
            // best effort
          }
        }
      }
    }
  }

  private CliResult run(String... args) {
    return LocalCli.call(config, args);
  }

  /** Runs with --output json, expects exit 0, returns the document. */
  private JsonNode json(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output", "json"));
    CliResult r = run(all.toArray(String[]::new));
    assertThat(r.code()).as("exit code of %s; stderr: %s", all, r.err()).isZero();
    return r.json();
  }

  /** Starts a recipe, remembers its job IDs, returns the start document. */
  private JsonNode start(Path recipe, String... more) {
    List<String> args = new ArrayList<>(List.of("--recipe", recipe.toString()));
    args.addAll(List.of(more));
    JsonNode started = json(args.toArray(String[]::new));
    started.path("services").forEach(s -> jobs.add(s.path("job_id").asText()));
    return started;
  }

  private JsonNode statusRow(String serviceId) {
    for (JsonNode row : json("--status").path("services")) {
      if (row.path("service_id").asText().equals(serviceId)) {
        return row;
      }
    }
    return fail("no " + serviceId + " in --status");
  }

  @Test
  void nodeExporterAndPrometheusFromStartToStop() throws Exception {
    // 1. A node exporter from the shipped recipe.
    JsonNode started = start(RECIPES.resolve("node_exporter.yaml"));
    assertThat(started.path("session_id").asText()).isEqualTo("session_1");
    String exporter = started.path("services").get(0).path("service_id").asText();
    String exporterJob = started.path("services").get(0).path("job_id").asText();
    assertThat(exporter).matches("node_exporter_[0-9a-f]{8}");
    assertThat(exporterJob).matches("\\d+");

    JsonNode row = statusRow(exporter);
    assertThat(row.path("state").asText()).isEqualTo("RUNNING");
    assertThat(row.path("job_id").asText()).isEqualTo(exporterJob);
    assertThat(row.path("node").asText()).isNotEmpty();
    assertThat(row.path("endpoint").asText()).startsWith("http://localhost:");
    CliResult statusText = run("--status");
    assertThat(statusText.out()).contains(exporter).contains("RUNNING").contains(row.path("node").asText());

    JsonNode endpoint = json("--service-endpoint", exporter);
    int exporterPort = endpoint.path("port").asInt();
    assertThat(endpoint.path("host").asText()).isEqualTo("localhost");
    assertThat(endpoint.path("api").asText()).isEqualTo("http://localhost:" + exporterPort);
    assertThat(endpoint.path("ui").asText()).isEqualTo("http://localhost:" + exporterPort);
    assertThat(row.path("endpoint").asText()).isEqualTo("http://localhost:" + exporterPort);
    CliResult endpointText = run("--service-endpoint", exporter);
    assertThat(endpointText.code()).isZero();
    assertThat(endpointText.out()).contains("Host: localhost", "API: http://localhost:" + exporterPort, "UI: ");

    // 2. A Prometheus watching it; no port in the target: the exporter's real port is used.
    Path promRecipe = Files.writeString(dir.resolve("prometheus.yaml"), """
        service:
          name: prometheus
          scrape_interval: 1s
          monitoring_targets:
            - service_id: %s
              job_name: node
          ports:
            - 9090
        """.formatted(exporter));
    JsonNode promStarted = start(promRecipe);
    assertThat(promStarted.path("session_id").asText()).isEqualTo("session_2");
    String prometheus = promStarted.path("services").get(0).path("service_id").asText();
    String prometheusJob = promStarted.path("services").get(0).path("job_id").asText();
    assertThat(prometheus).matches("prometheus_[0-9a-f]{8}");
    int prometheusPort = json("--service-endpoint", prometheus).path("port").asInt();
    String hex = prometheus.substring(prometheus.length() - 8);

    // 3. Queries by the hex part alone.
    Map<String, String> up = await("up = 1 for node and prometheus", () -> {
      Map<String, String> values = upByJob(json("--query-service-metrics", hex, "up"));
      return "1".equals(values.get("node")) && "1".equals(values.get("prometheus"))
          ? Optional.of(values) : Optional.empty();
    });
    assertThat(up).containsOnlyKeys("node", "prometheus");
    JsonNode upResult = json("--query-service-metrics", hex, "up").path("data").path("result");
    for (JsonNode series : upResult) {
      if (series.path("metric").path("job").asText().equals("node")) {
        assertThat(series.path("metric").path("instance").asText()).isEqualTo("localhost:" + exporterPort);
      }
    }

    CliResult table = run("--query-service-metrics", hex, "up");
    assertThat(table.code()).isZero();
    assertThat(table.out().lines().filter(l -> l.matches(".*\\bnode\\b.*"))).isNotEmpty();
    assertThat(table.out().lines().filter(l -> l.matches(".*\\bprometheus\\b.*"))).isNotEmpty();

    JsonNode nodeOnly = json("--query-service-metrics", prometheus, "up{job=\"node\"}");
    assertThat(nodeOnly.path("data").path("result")).hasSize(1);
    assertThat(nodeOnly.path("data").path("result").get(0).path("metric").path("job").asText()).isEqualTo("node");

    CliResult bad = run("--query-service-metrics", prometheus, "up{");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err().lines().toList()).hasSize(1);
    assertThat(bad.err()).startsWith("error: ").contains("PromQL error");

    JsonNode monitors = json("--status").path("monitors");
    assertThat(monitors).hasSize(1);
    assertThat(monitors.get(0).path("targets_up").asInt()).isEqualTo(2);
    assertThat(monitors.get(0).path("targets_total").asInt()).isEqualTo(2);

    // 4. Stop both; nothing of either may remain.
    CliResult stopProm = run("--stop-service", prometheus);
    assertThat(stopProm.code()).as(stopProm.err()).isZero();
    assertThat(stopProm.out()).isEqualTo("Stopped " + prometheus + " (CANCELLED)\n");
    CliResult stopExporter = run("--stop-service", exporter);
    assertThat(stopExporter.code()).as(stopExporter.err()).isZero();

    assertThat(ProcessGroups.members(prometheusJob)).isEmpty();
    assertThat(ProcessGroups.members(exporterJob)).isEmpty();
    assertRefused(exporterPort);
    assertRefused(prometheusPort);
    assertThat(statusRow(exporter).path("state").asText()).isEqualTo("CANCELLED");
    assertThat(statusRow(prometheus).path("state").asText()).isEqualTo("CANCELLED");
    CliResult again = run("--stop-service", exporter);
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEqualTo("Service " + exporter + " had already ended (CANCELLED)\n");
  }

  @Test
  void takenPortIsReplacedByAFreeOne() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int taken = holder.getLocalPort();
      Path recipe = Files.writeString(dir.resolve("node_exporter.yaml"), """
          service:
            name: node_exporter
            ports:
              - %d
          """.formatted(taken));

      CliResult text = run("--recipe", recipe.toString());
      assertThat(text.code()).as(text.err()).isZero();
      String id = text.out().lines().filter(l -> l.startsWith("Started ")).findFirst().orElseThrow().split(" ")[1];
      JsonNode row = statusRow(id);
      jobs.add(row.path("job_id").asText());

      assertThat(text.out()).contains("port " + taken + " was taken, got ");
      assertThat(row.path("state").asText()).isEqualTo("RUNNING");
      int port = URI.create(row.path("endpoint").asText()).getPort();
      assertThat(port).isNotEqualTo(taken).isPositive();
      assertThat(text.out()).contains("port " + taken + " was taken, got " + port + ")");
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      }
    }
  }

  @Test
  void failingServiceShowsExitCodeAndLogTail() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path recipe = Files.writeString(dir.resolve("failing.yaml"), """
        service:
          name: failing_job
          command: bash
          args: ["-c", "echo boom >&2; exit 4"]
          ports: [%d]
        """.formatted(port));

    JsonNode started = start(recipe, "--no-wait");
    String id = started.path("services").get(0).path("service_id").asText();

    JsonNode row = await("FAILED", () -> {
      JsonNode r = statusRow(id);
      return r.path("state").asText().equals("FAILED") ? Optional.of(r) : Optional.empty();
    });
    assertThat(row.path("exit_code").asInt()).isEqualTo(4);
    assertThat(row.path("log_tail").toString()).contains("boom");
    // A later status still tells why it failed.
    JsonNode later = statusRow(id);
    assertThat(later.path("exit_code").asInt()).isEqualTo(4);
    assertThat(later.path("log_tail").toString()).contains("boom");
  }

  @Test
  void failingServiceWithoutNoWaitFailsTheCall() throws Exception {
    Path recipe = Files.writeString(dir.resolve("failing.yaml"), """
        service:
          name: failing_job
          command: bash
          args: ["-c", "echo boom >&2; exit 4"]
          ports: [8000]
        """);

    CliResult r = run("--recipe", recipe.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("ended before it got ready: FAILED (exit code 4)").contains("boom");
  }

  @Test
  void serviceWithoutPortsRunsAtOnceWithoutAnEndpoint() throws Exception {
    Path recipe = LocalCli.sleeperRecipe(dir);

    long before = System.nanoTime();
    JsonNode started = start(recipe);
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    // Nothing waits for a port nobody asked for (it used to wait 120 s and fail).
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    JsonNode service = started.path("services").get(0);
    String id = service.path("service_id").asText();
    assertThat(service.path("state").asText()).isEqualTo("RUNNING");
    assertThat(service.has("endpoint")).as(service.toString()).isFalse();
    assertThat(service.has("port")).as(service.toString()).isFalse();
    JsonNode row = statusRow(id);
    assertThat(row.path("state").asText()).isEqualTo("RUNNING");
    assertThat(row.path("endpoint").isNull()).as(row.toString()).isTrue();
    CliResult text = run("--status");
    assertThat(text.out()).contains(id).doesNotContain("http://");
    CliResult endpoint = run("--service-endpoint", id);
    assertThat(endpoint.code()).isEqualTo(1);
    assertThat(endpoint.out()).isEmpty();
    assertThat(endpoint.err().strip()).isEqualTo("error: service " + id
        + " has no endpoint: it is RUNNING without a port (its recipe lists no ports)");
    // The job published where it runs, with no port, and the service got no PORT.
    Path folder = dir.resolve("state/services").resolve(id);
    assertThat(Files.readString(folder.resolve("connection"))).contains("host=localhost\nport=\n");
    assertThat(Files.readString(folder.resolve("job.sh"))).doesNotContain("export PORT=");
  }

  @Test
  void clearStateRemovesEndedServicesFoldersAndSecretsAndKeepsRunningOnes() throws Exception {
    Path running = LocalCli.sleeperRecipe(dir);
    Path writer = Files.writeString(dir.resolve("writer.yaml"), """
        service:
          name: writer
          command: bash
          args: ["-c", "head -c 300000 /dev/zero > output.bin"]
        """);
    String keep = start(running).at("/services/0/service_id").asText();
    String ended = start(writer, "--no-wait").at("/services/0/service_id").asText();
    await("COMPLETED", () -> statusRow(ended).path("state").asText().equals("COMPLETED")
        ? Optional.of(true) : Optional.empty());
    Path services = dir.resolve("state/services");
    Path secrets = Files.createDirectories(dir.resolve("state/secrets"));
    Files.writeString(secrets.resolve(ended + ".json"), "{}");
    Files.writeString(secrets.resolve(keep + ".json"), "{}");
    assertThat(services.resolve(ended).resolve("output.bin")).exists();

    JsonNode cleared = json("--clear-state");

    assertThat(cleared.path("forgotten").asInt()).isEqualTo(1);
    assertThat(cleared.path("folders_removed").asInt()).isEqualTo(1);
    assertThat(cleared.path("bytes_freed").asLong()).isGreaterThanOrEqualTo(300_000L);
    assertThat(services.resolve(ended)).doesNotExist();
    assertThat(secrets.resolve(ended + ".json")).doesNotExist();
    // A running service keeps its folder and secrets, and runs on.
    assertThat(services.resolve(keep).resolve("job.sh")).exists();
    assertThat(secrets.resolve(keep + ".json")).exists();
    assertThat(statusRow(keep).path("state").asText()).isEqualTo("RUNNING");
    CliResult again = run("--clear-state");
    assertThat(again.out()).isEqualTo("Forgot 0 finished service(s); removed 0 service folder(s), freed 0 B.\n");
  }

  @Test
  void demoStartsQueriesAndStopsBoth() {
    CliResult demo = run("--demo");

    assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out()).contains("Every target is up.", "Stopping both services", "Done.");
    JsonNode services = json("--status").path("services");
    assertThat(services).hasSize(2);
    for (JsonNode s : services) {
      jobs.add(s.path("job_id").asText());
      assertThat(s.path("state").asText()).isEqualTo("CANCELLED");
      assertThat(ProcessGroups.members(s.path("job_id").asText())).isEmpty();
    }
  }

  @Test
  void listServicesShowsTheShippedRecipes() {
    CliResult r = run("--list-services");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Available recipes in " + RECIPES + ":\n");
    assertThat(r.out().lines().map(String::strip)).contains("node_exporter.yaml", "ollama.yaml", "prometheus.yaml",
        "prometheus_with_ollama.yaml");
    assertThat(json("--list-services").path("recipes").toString())
        .contains("\"node_exporter.yaml\"", "\"ollama.yaml\"", "\"prometheus.yaml\"", "\"prometheus_with_ollama.yaml\"");
  }

  private static Map<String, String> upByJob(JsonNode response) {
    Map<String, String> values = new HashMap<>();
    for (JsonNode series : response.path("data").path("result")) {
      values.put(series.path("metric").path("job").asText(), series.path("value").get(1).asText());
    }
    return values;
  }

  private static void assertRefused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      fail("port " + port + " still accepts connections");
    } catch (ConnectException expected) {
      // refused: nobody listens
    } catch (IOException e) {
      fail("connecting to port " + port + ": " + e);
    }
  }

  private static <T> T await(String what, Supplier<Optional<T>> condition) {
    return Await.value(what, DEADLINE, condition);
  }
}
