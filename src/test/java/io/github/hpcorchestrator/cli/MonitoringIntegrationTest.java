package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring module on the local backend with real Prometheus and node exporters: targets that
 * follow services, sessions, saved metrics, reports, and the spec's example program.
 */
@Tag("integration")
class MonitoringIntegrationTest {
  @TempDir Path dir;
  private LocalCli cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
  }

  @AfterEach
  void stopEverything() {
    assertThat(cli.run("--stop-all-services").code()).isZero();
  }

  private String start(Path recipe) {
    return cli.json("--recipe", recipe.toString()).at("/services/0/service_id").asText();
  }

  /** up per service_id label of job {@code job}. */
  private Map<String, String> upByService(String monitor, String job) {
    Map<String, String> up = new TreeMap<>();
    cli.json("--query-service-metrics", monitor, "up{job=\"" + job + "\"}").at("/data/result")
        .forEach(r -> up.put(r.at("/metric/service_id").asText(), r.at("/value/1").asText()));
    return up;
  }

  private String startTime(String monitor) {
    return cli.json("--query-service-metrics", monitor, "process_start_time_seconds{job=\"prometheus\"}")
        .at("/data/result/0/value/1").asText();
  }

  @Test
  void prometheusStartedFirstFollowsExportersThatStartAndStopLater() throws IOException {
    Path recipe = Files.writeString(dir.resolve("prometheus.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 1s",
        "  monitoring_targets:",
        "    - service: node_exporter",
        "      job_name: nodes",
        "      port: 9100",
        "  ports: [9090]", ""));
    String monitor = start(recipe);
    String startedAt = startTime(monitor);
    assertThat(upByService(monitor, "nodes")).isEmpty();

    Path exporterRecipe = LocalCli.REPO.resolve("recipes/services/node_exporter.yaml");
    String first = start(exporterRecipe);
    String second = start(exporterRecipe);
    long t0 = System.nanoTime();
    // One discovery interval (1 s) plus one scrape interval (1 s), with slack for this small machine.
    Map<String, String> both = Await.value("both exporters up", Duration.ofSeconds(15), () -> {
      Map<String, String> up = upByService(monitor, "nodes");
      return up.size() == 2 && up.values().stream().allMatch("1"::equals) ? Optional.of(up) : Optional.empty();
    });
    System.out.printf("both targets up %d ms after the second exporter was ready%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    assertThat(both).containsOnlyKeys(first, second);
    JsonNode labels = cli.json("--query-service-metrics", monitor, "up{service_id=\"" + first + "\"}")
        .at("/data/result/0/metric");
    assertThat(labels.path("service_name").asText()).isEqualTo("node_exporter");
    assertThat(labels.path("job_id").asText()).isNotEmpty();
    assertThat(labels.path("node").asText()).isNotEmpty();

    assertThat(cli.run("--stop-service", first).code()).isZero();
    Await.value("the stopped exporter gone", Duration.ofSeconds(15), () ->
        upByService(monitor, "nodes").keySet().equals(java.util.Set.of(second)) ? Optional.of(true) : Optional.empty());
    assertThat(startTime(monitor)).as("Prometheus was never restarted").isEqualTo(startedAt);
  }

  @Test
  void sessionRecipeStartsPrometheusFirstAndStopSessionLeavesMetricsAndReport() throws IOException {
    Path recipe = LocalCli.sessionRecipe(dir, "1s");
    CliResult started = cli.run("--recipe", recipe.toString());
    assertThat(started.code()).as(started.err()).isZero();
    assertThat(started.out()).containsPattern("Benchmark session started: session_\\d+");
    JsonNode status = cli.json("--status");
    String monitor = status.at("/monitors/0/service_id").asText();
    String exporter = null;
    for (JsonNode s : status.path("services")) {
      if (s.path("name").asText().equals("node_exporter")) {
        exporter = s.path("service_id").asText();
      }
    }
    assertThat(status.at("/services/0/name").asText()).as("monitors start first").isEqualTo("prometheus");
    String exporterId = exporter;
    Await.value("the session's exporter up", Duration.ofSeconds(15), () ->
        "1".equals(upByService(monitor, "session").get(exporterId)) ? Optional.of(true) : Optional.empty());

    Path csv = dir.resolve("metrics/up.csv");
    assertThat(cli.run("--collect-metrics", monitor, "up", "up.csv", "--format", "csv", "--start", "-30s",
        "--step", "1s").code()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).startsWith("timestamp,value,__name__,");
    assertThat(lines.stream().filter(l -> l.startsWith("timestamp,"))).hasSize(1);
    assertThat(lines.size()).isGreaterThan(2);
    assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l.split(",", -1)).hasSameSizeAs(
        lines.get(0).split(",", -1)));

    String session = started.out().replaceAll("(?s).*Benchmark session started: (session_\\d+).*", "$1");
    CliResult stopped = cli.run("--stop-session", session);
    assertThat(stopped.code()).as(stopped.err()).isZero();
    Path monitorDir = dir.resolve("metrics").resolve(monitor);
    assertThat(monitorDir.resolve("session-metrics.json.gz")).exists();
    assertThat(monitorDir.resolve("report.json")).exists();
    assertThat(monitorDir.resolve("report.html")).exists();
    assertThat(Files.readString(monitorDir.resolve("report.json"))).contains(exporterId);
    for (JsonNode s : cli.json("--status").path("services")) {
      assertThat(s.path("state").asText()).isEqualTo("CANCELLED");
    }

    // The report can be rebuilt after Prometheus is gone, from what was saved.
    Path rebuilt = dir.resolve("again");
    assertThat(cli.run("--report", monitor, rebuilt.toString()).code()).isZero();
    assertThat(dir.resolve("again.html")).exists();
    assertThat(Files.readString(dir.resolve("again.json"))).as("rebuilt report; stop said: %s", stopped.err())
        .contains(exporterId);
  }

  @Test
  void prometheusWithAuthAnswers401WithoutCredentialsAndKeepsSecretsPrivate() throws Exception {
    Path recipe = Files.writeString(dir.resolve("auth.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 1s",
        "  auth: true",
        "  ports: [9090]", ""));
    String monitor = start(recipe);
    JsonNode up = cli.json("--query-service-metrics", monitor, "up").at("/data/result/0");
    assertThat(up.at("/metric/job").asText()).isEqualTo("prometheus");
    assertThat(up.at("/value/1").asText()).as("the self-scrape logs in too").isEqualTo("1");

    String api = cli.json("--service-endpoint", monitor).path("api").asText();
    assertThat(api).startsWith("https://");
    javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
    trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    }}, null);
    java.net.http.HttpResponse<String> anonymous = java.net.http.HttpClient.newBuilder().sslContext(trustAll).build()
        .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api/v1/query?query=up")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);

    Path secret = dir.resolve("state/secrets").resolve(monitor + ".json");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
        .isEqualTo("rw-------");
    String password = new com.fasterxml.jackson.databind.ObjectMapper().readTree(secret.toFile()).path("password")
        .asText();
    assertThat(password).hasSizeGreaterThan(20);
    Path serviceDir = dir.resolve("state/services").resolve(monitor);
    try (var files = Files.walk(serviceDir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(serviceDir.resolve("data"))).toList()) {
        assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString())
            .doesNotContain(password);
      }
    }
    for (String[] args : List.of(new String[] {"--status"}, new String[] {"--status", "--verbose"},
        new String[] {"--recipe", recipe.toString(), "--dry-run"})) {
      CliResult r = cli.run(args);
      assertThat(r.out() + r.err()).as(String.join(" ", args)).doesNotContain(password);
    }
  }

  @Test
  void serviceWithoutPortsIsNoTargetButItsExporterSidecarIs() throws IOException {
    Path worker = Files.writeString(dir.resolve("worker.yaml"), String.join("\n",
        "service:",
        "  name: worker",
        "  command: sleep",
        "  args: [\"300\"]",
        "  exporters: [node]", ""));
    String id = start(worker);
    Path recipe = Files.writeString(dir.resolve("prometheus.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 1s",
        "  monitoring_targets:",
        "    - service_id: " + id,
        "      job_name: work",
        "  ports: [9090]", ""));
    String monitor = start(recipe);

    // The worker's node exporter is scraped; the worker itself, with no port, is no target at all.
    Map<String, String> up = Await.value("the worker's exporter up", Duration.ofSeconds(15), () -> {
      Map<String, String> found = upByService(monitor, "work-node");
      return found.containsValue("1") ? Optional.of(found) : Optional.empty();
    });
    assertThat(up).containsOnlyKeys(id);
    assertThat(upByService(monitor, "work")).isEmpty();
    JsonNode targets = cli.json("--monitor-status", monitor).path("targets");
    assertThat(targets.toString()).doesNotContain(":0\"").contains("work-node");
  }

  @Test
  void theSpecsExampleProgramRunsEndToEnd() throws Exception {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.github.hpcorchestrator.examples.MonitorExample",
        cli.config().toString()));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("up node = 1").contains("up prometheus = 1").contains("running monitors after stop: []");
  }

  @Test
  void theExampleProgramStopsWhatItStartedWhenItFailsMidway() throws Exception {
    // Its recipes folder has the exporter but no prometheus.yaml: it fails after the exporter runs.
    Path recipes = Files.createDirectories(dir.resolve("half-recipes"));
    Files.copy(LocalCli.REPO.resolve("recipes/services/node_exporter.yaml"), recipes.resolve("node_exporter.yaml"));
    Path config = Files.writeString(dir.resolve("half.yaml"), Files.readString(cli.config())
        .replace("recipes_dir: " + LocalCli.REPO.resolve("recipes/services"), "recipes_dir: " + recipes));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.github.hpcorchestrator.examples.MonitorExample",
        config.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isNotZero();
    assertThat(output).contains("prometheus.yaml").containsPattern("stopped node_exporter_[0-9a-f]{8} after the failure");
    JsonNode services = cli.json("--status").path("services");
    assertThat(services).as(services.toString()).hasSize(1);
    assertThat(services.get(0).path("state").asText()).isEqualTo("CANCELLED");
  }
}
