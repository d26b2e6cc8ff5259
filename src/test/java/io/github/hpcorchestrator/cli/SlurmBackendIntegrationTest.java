package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.Needs;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CLI on the SLURM backend against a real 3-node test cluster. The CLI runs in the "laptop"
 * network namespace, which reaches only the login node's sshd: every command and every query
 * provably goes through the one SSH connection.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmBackendIntegrationTest {
  private static final Path REPO = SlurmCli.REPO;
  private TestCluster cluster;
  private Path work;
  private Path configNode1;
  private Path configNode2;
  private Shell slurmHere;
  private String exporterId;
  private String prometheusId;

  private SlurmCli slurmCli;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    work = cluster.workDir("hpco-slurm-cli");
    slurmCli = new SlurmCli(cluster, work);
    configNode1 = slurmCli.config("node1.yaml", cluster.nodes().get(0));
    configNode2 = slurmCli.config("node2.yaml", cluster.nodes().get(1));
    slurmHere = new LocalShell(cluster.slurmEnvironment());
  }

  @AfterAll
  void down() throws Exception {
    if (cluster == null) {
      return;
    }
    slurmHere.run(List.of("scancel", "--me"), Duration.ofSeconds(30));
  }

  private CliResult cli(Path config, String... args) throws Exception {
    return slurmCli.run(config, args);
  }

  private List<String> squeueIds() {
    return slurmCli.squeueIds();
  }

  @Test
  @Order(1)
  void laptopReachesOnlyTheLoginNode() throws Exception {
    String nodeAddress = cluster.get("NODE_ADDRS").split(",")[0];
    Process p = new ProcessBuilder("ip", "netns", "exec", cluster.get("LAPTOP_NETNS"), "timeout", "3", "bash", "-c",
        "</dev/tcp/" + nodeAddress + "/" + cluster.get("SLURMD_PORT")).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("a compute node must be unreachable from the laptop").isNotZero();
  }

  @Test
  @Order(2)
  void startsExporterAndPrometheusOnTwoNodesAndQueriesThroughSsh() throws Exception {
    CliResult exporter = cli(configNode1, "--recipe", REPO.resolve("recipes/services/node_exporter.yaml").toString(),
        "--output", "json");
    assertThat(exporter.code()).as(exporter.err()).isZero();
    exporterId = exporter.json().at("/services/0/service_id").asText();

    Path recipe = work.resolve("prometheus.yaml");
    Files.writeString(recipe, String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 1s",
        "  monitoring_targets:",
        "    - service_id: \"" + exporterId.substring(exporterId.length() - 8) + "\"",
        "      job_name: node",
        "  ports: [9090]",
        ""));
    CliResult prometheus = cli(configNode2, "--recipe", recipe.toString(), "--output", "json");
    assertThat(prometheus.code()).as(prometheus.err()).isZero();
    prometheusId = prometheus.json().at("/services/0/service_id").asText();

    CliResult status = cli(configNode1, "--status", "--output", "json");
    assertThat(status.code()).as(status.err()).isZero();
    Map<String, JsonNode> byId = new HashMap<>();
    status.json().get("services").forEach(s -> byId.put(s.get("service_id").asText(), s));
    assertThat(byId.get(exporterId).get("state").asText()).isEqualTo("RUNNING");
    assertThat(byId.get(exporterId).get("node").asText()).isEqualTo(cluster.nodes().get(0));
    assertThat(byId.get(prometheusId).get("state").asText()).isEqualTo("RUNNING");
    assertThat(byId.get(prometheusId).get("node").asText()).isEqualTo(cluster.nodes().get(1));

    CliResult up = cli(configNode1, "--query-service-metrics", prometheusId, "up", "--output", "json");
    assertThat(up.code()).as(up.err()).isZero();
    Map<String, String> upByJob = new HashMap<>();
    up.json().at("/data/result").forEach(r -> upByJob.put(r.at("/metric/job").asText(), r.at("/value/1").asText()));
    assertThat(upByJob).containsEntry("node", "1").containsEntry("prometheus", "1");

    CliResult table = cli(configNode1, "--query-service-metrics", prometheusId.substring(prometheusId.length() - 8), "up");
    assertThat(table.out()).contains(cluster.nodes().get(0) + ":");

    // On SLURM a Prometheus requires credentials: a plain curl from the login node gets 401.
    CliResult endpoint = cli(configNode1, "--monitor-endpoint", prometheusId, "--output", "json");
    String api = endpoint.json().get("api").asText();
    assertThat(api).startsWith("https://" + cluster.nodes().get(1) + ":");
    Process curl = new ProcessBuilder("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}",
        api + "/api/v1/query?query=up").start();
    String code = new String(curl.getInputStream().readAllBytes()).strip();
    assertThat(curl.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(code).as("HTTP status without credentials").isEqualTo("401");
  }

  @Test
  @Order(3)
  void findsRunningServicesAfterLocalStateIsDeleted() throws Exception {
    Needs.that(prometheusId != null, "needs the services of the previous test");
    // The services database goes; the monitors' credentials (state_dir/secrets) are kept, as only
    // this machine has them: without them an auth'd Prometheus cannot be queried at all.
    try (var entries = Files.list(work.resolve("state"))) {
      for (Path p : entries.filter(p -> !p.getFileName().toString().equals("secrets")).toList()) {
        deleteRecursively(p);
      }
    }
    CliResult endpoint = cli(configNode1, "--service-endpoint", prometheusId, "--output", "json");
    assertThat(endpoint.code()).as(endpoint.err()).isZero();
    assertThat(endpoint.json().get("host").asText()).isEqualTo(cluster.nodes().get(1));
    assertThat(endpoint.json().get("api").asText()).startsWith("https://" + cluster.nodes().get(1) + ":");
    CliResult up = cli(configNode1, "--query-service-metrics", prometheusId, "up{job=\"node\"}", "--output", "json");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.json().at("/data/result/0/value/1").asText()).isEqualTo("1");
  }

  @Test
  @Order(4)
  void stopsBothAndLeavesNothingInSqueue() throws Exception {
    Needs.that(prometheusId != null, "needs the services of the previous tests");
    CliResult stopPrometheus = cli(configNode1, "--stop-service", prometheusId);
    assertThat(stopPrometheus.code()).as(stopPrometheus.err()).isZero();
    CliResult stopExporter = cli(configNode1, "--stop-service", exporterId);
    assertThat(stopExporter.code()).as(stopExporter.err()).isZero();
    assertThat(squeueIds()).isEmpty();
  }

  @Test
  @Order(5)
  void oneStatusWithFiftyServicesRunsOneSqueue() throws Exception {
    try (BenchmarkOrchestrator api = new BenchmarkOrchestrator(new ConfigLoader().load(configNode1), line -> { })) {
      ServiceSpec sleeper = new ServiceSpec("sleeper", "", Optional.of("sleep"), List.of("600"), Optional.empty(),
          ResourceSpec.none(), Map.of(), List.of(), Optional.empty(), List.of(), Optional.empty());
      for (int i = 0; i < 50; i++) {
        api.servers().startService(sleeper, "session_load", "test", false);
      }
    }
    assertThat(squeueIds()).hasSize(50);
    int before = cluster.calls().size();
    CliResult status = cli(configNode1, "--status", "--output", "json");
    assertThat(status.code()).as(status.err()).isZero();
    List<String> all = cluster.calls();
    List<String> during = all.subList(before, all.size());
    long sleepers = 0;
    for (JsonNode s : status.json().get("services")) {
      if (s.get("name").asText().equals("sleeper") && !s.get("state").asText().equals("CANCELLED")) {
        sleepers++;
      }
    }
    assertThat(sleepers).isEqualTo(50);
    assertThat(during).as("SLURM calls made by one --status with 50 tracked services").hasSize(1);
    assertThat(during.get(0)).startsWith("squeue ");
    slurmHere.run(List.of("scancel", "--me"), Duration.ofSeconds(30));
  }

  private String sleeperId;

  private JsonNode statusRow(String id) throws Exception {
    CliResult status = cli(configNode1, "--status", "--output", "json");
    assertThat(status.code()).as(status.err()).isZero();
    for (JsonNode s : status.json().get("services")) {
      if (s.get("service_id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no " + id + " in " + status.out());
  }

  @Test
  @Order(6)
  void serviceWithoutPortsRunsAtOnceWithoutAnEndpoint() throws Exception {
    Path recipe = Files.writeString(work.resolve("sleeper.yaml"),
        "service:\n  name: sleeper\n  command: sleep\n  args: [\"300\"]\n");
    long before = System.nanoTime();
    CliResult start = cli(configNode1, "--recipe", recipe.toString(), "--output", "json");
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    // The job script used to wait for a port nobody asked for and never publish its connection.
    assertThat(start.code()).as(start.err()).isZero();
    assertThat(took).isLessThan(Duration.ofSeconds(60));
    JsonNode service = start.json().at("/services/0");
    sleeperId = service.get("service_id").asText();
    assertThat(service.get("state").asText()).isEqualTo("RUNNING");
    assertThat(service.has("endpoint")).as(service.toString()).isFalse();
    JsonNode row = statusRow(sleeperId);
    assertThat(row.get("state").asText()).isEqualTo("RUNNING");
    assertThat(row.get("endpoint").isNull()).as(row.toString()).isTrue();
    CliResult endpoint = cli(configNode1, "--service-endpoint", sleeperId);
    assertThat(endpoint.code()).isEqualTo(1);
    assertThat(endpoint.err()).contains("error: service " + sleeperId
        + " has no endpoint: it is RUNNING without a port (its recipe lists no ports)");
  }

  @Test
  @Order(7)
  void jobRefusedBySbatchKeepsSbatchsWordsInEveryLaterStatus() throws Exception {
    Path recipe = Files.writeString(work.resolve("refused.yaml"), "service:\n  name: refused\n  command: sleep\n"
        + "  args: [\"300\"]\n  resources:\n    partition: nosuchpartition\n");
    CliResult start = cli(configNode1, "--recipe", recipe.toString());
    assertThat(start.code()).isEqualTo(1);
    assertThat(start.err()).contains("sbatch refused refused_");

    for (int call = 0; call < 2; call++) {
      CliResult text = cli(configNode1, "--status");
      assertThat(text.out()).containsPattern("refused_[0-9a-f]{8}\\s+\\|\\s+session_\\d+\\s+\\|\\s+FAILED \\|"
          + ".*\\(sbatch refused refused_[0-9a-f]{8}: .*(?i:partition)");
      CliResult json = cli(configNode1, "--status", "--output", "json");
      JsonNode row = null;
      for (JsonNode s : json.json().get("services")) {
        if (s.get("name").asText().equals("refused")) {
          row = s;
        }
      }
      assertThat(row).as(json.out()).isNotNull();
      assertThat(row.get("state").asText()).isEqualTo("FAILED");
      assertThat(row.get("reason").asText()).startsWith("sbatch refused refused_").containsIgnoringCase("partition");
    }
  }

  @Test
  @Order(8)
  void clearStateRemovesEndedServicesFoldersOnTheClusterAndKeepsRunningOnes() throws Exception {
    Needs.that(sleeperId != null, "needs the running service of an earlier test");
    Path recipe = Files.writeString(work.resolve("writer.yaml"), "service:\n  name: writer\n  command: bash\n"
        + "  args: [\"-c\", \"head -c 300000 /dev/zero > output.bin\"]\n");
    CliResult start = cli(configNode1, "--recipe", recipe.toString(), "--no-wait", "--output", "json");
    assertThat(start.code()).as(start.err()).isZero();
    String writer = start.json().at("/services/0/service_id").asText();
    Await.value("COMPLETED of " + writer, Duration.ofSeconds(60), () -> {
      try {
        return statusRow(writer).get("state").asText().equals("COMPLETED") ? Optional.of(true) : Optional.empty();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    Path services = work.resolve("remote/services");
    assertThat(services.resolve(writer).resolve("output.bin")).exists();

    CliResult cleared = cli(configNode1, "--clear-state", "--output", "json");

    assertThat(cleared.code()).as(cleared.err()).isZero();
    assertThat(cleared.json().get("folders_removed").asInt()).isPositive();
    assertThat(cleared.json().get("bytes_freed").asLong()).isGreaterThanOrEqualTo(300_000L);
    assertThat(services.resolve(writer)).doesNotExist();
    assertThat(services.resolve(sleeperId).resolve("connection")).exists();
    assertThat(statusRow(sleeperId).get("state").asText()).isEqualTo("RUNNING");
    CliResult stop = cli(configNode1, "--stop-service", sleeperId);
    assertThat(stop.code()).as(stop.err()).isZero();
  }

  @Test
  @Order(9)
  void aSecondConfigNeitherListsNorCancelsTheFirstConfigsJobsNorAForeignOne() throws Exception {
    Path recipe = Files.writeString(work.resolve("sleeper.yaml"),
        "service:\n  name: sleeper\n  command: sleep\n  args: [\"300\"]\n");
    CliResult started = cli(configNode1, "--recipe", recipe.toString(), "--no-wait", "--output", "json");
    assertThat(started.code()).as(started.err()).isZero();
    String ours = started.json().at("/services/0/job_id").asText();
    // Another program's job with a name that looks like a service ID.
    String foreign = slurmHere.run(List.of("sbatch", "--parsable", "--job-name=train_deadbeef", "--chdir=/tmp",
        "--output=/dev/null", "--wrap", "sleep 300"), Duration.ofSeconds(30)).stdout().strip();
    try {
      assertThat(foreign).matches("\\d+");
      Path second = slurmCli.config("second.yaml", cluster.nodes().get(0), work.resolve("state-second"),
          work.resolve("remote-second"));

      CliResult status = cli(second, "--status", "--output", "json");
      assertThat(status.code()).as(status.err()).isZero();
      assertThat(status.json().path("services")).as("services the second config lists").isEmpty();
      CliResult stopAll = cli(second, "--stop-all-services", "--output", "json");
      assertThat(stopAll.code()).as(stopAll.err()).isZero();
      assertThat(stopAll.json().path("stopped")).isEmpty();
      assertThat(squeueIds()).contains(ours, foreign);

      // The first config's remote_dir with a state folder that knows nothing: its job is found by
      // its work folder (squeue %Z), the foreign one is not.
      Path fresh = slurmCli.config("fresh.yaml", cluster.nodes().get(0), work.resolve("state-fresh"),
          work.resolve("remote"));
      CliResult discovered = cli(fresh, "--status", "--output", "json");
      assertThat(discovered.code()).as(discovered.err()).isZero();
      List<String> discoveredJobs = new java.util.ArrayList<>();
      discovered.json().path("services").forEach(s -> discoveredJobs.add(s.path("job_id").asText()));
      assertThat(discoveredJobs).containsExactly(ours);

      CliResult first = cli(configNode1, "--status", "--output", "json");
      List<String> firstJobs = new java.util.ArrayList<>();
      first.json().path("services").forEach(s -> firstJobs.add(s.path("job_id").asText()));
      assertThat(firstJobs).contains(ours).doesNotContain(foreign);
      CliResult stopFirst = cli(configNode1, "--stop-all-services", "--output", "json");
      assertThat(stopFirst.code()).as(stopFirst.err()).isZero();
      assertThat(squeueIds()).contains(foreign).doesNotContain(ours);
    } finally {
      slurmHere.run(List.of("scancel", ours, foreign), Duration.ofSeconds(30));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
