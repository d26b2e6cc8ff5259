package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Needs;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * A cluster with nothing but bash and SLURM, as jobs see it: {@code slurm.setup} sets a PATH of
 * this machine's programs without prometheus, node exporter or any java (the login node sees the
 * same PATH after the setup lines). From the laptop namespace, the CLI uploads what jobs need once
 * into {@code <remote_dir>/runtime/}, jobs run it from there, and the next job reuses it.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelfContainedRuntimeIntegrationTest {
  private static final Pattern HIDDEN = Pattern.compile("prometheus.*|promtool|node_exporter.*");
  private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
  private TestCluster cluster;
  private Path work;
  private Path runtimeDir;
  private String jobPath;
  private SlurmCli cli;
  private Path configNode1;
  private Path configNode2;
  private String exporterId;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    work = cluster.workDir("hpco-runtime");
    runtimeDir = work.resolve("remote/runtime");
    jobPath = cluster.get("BIN_DIR") + ":" + barePath(work.resolve("bare-bin"));
    cli = new SlurmCli(cluster, work);
    configNode1 = bare(cli.config("node1.yaml", cluster.nodes().get(0)));
    configNode2 = bare(cli.config("node2.yaml", cluster.nodes().get(1)));
  }

  @AfterAll
  void down() throws Exception {
    if (cluster == null) {
      return;
    }
    cli.slurm("scancel", "--me");
  }

  /** A folder of links to this machine's programs, less the ones a bare cluster lacks. */
  private static String barePath(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String folder : List.of("/usr/bin", "/usr/sbin")) {
      try (Stream<Path> entries = Files.list(Path.of(folder))) {
        for (Path p : entries.toList()) {
          String name = p.getFileName().toString();
          boolean isJdk = p.toRealPath().startsWith("/usr/lib/jvm");
          if (!HIDDEN.matcher(name).matches() && !isJdk && !Files.exists(dir.resolve(name))) {
            Files.createSymbolicLink(dir.resolve(name), p);
          }
        }
      }
    }
    return dir.toString();
  }

  private Path bare(Path config) throws IOException {
    Files.writeString(config, "  setup: [\"export PATH=" + jobPath + "\"]\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    return config;
  }

  private List<String> runtimeEntries() throws IOException {
    try (Stream<Path> entries = Files.list(runtimeDir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** argv and PATH of every process on this machine whose program lies under the runtime folder. */
  private List<String[]> runtimeProcesses() throws IOException {
    List<String[]> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          if (!cmd.startsWith(runtimeDir + "/")) {
            continue;
          }
          String path = Stream.of(new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8)
              .split("\0")).filter(e -> e.startsWith("PATH=")).findFirst().orElse("");
          out.add(new String[] {cmd.split("\0")[0], path});
        } catch (IOException gone) {
          // the process ended while it was looked at
        }
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void theFirstJobUploadsNodeExporterAndAJavaRuntimeAndRunsThemFromTheRuntimeFolder() throws Exception {
    Path recipe = Files.writeString(work.resolve("exporter.yaml"), String.join("\n",
        "service:",
        "  name: node_exporter",
        "  ports: [9100]",
        "  exporters: [probe]",
        ""));
    CliResult start = cli.run(configNode1, "--recipe", recipe.toString(), "--output", "json");
    assertThat(start.code()).as(start.err()).isZero();
    exporterId = start.json().at("/services/0/service_id").asText();
    assertThat(start.err()).containsPattern("uploading node_exporter \\(\\d+\\.\\d MB\\) to " + runtimeDir
        + "/node_exporter-[0-9a-f]{16}\n");
    assertThat(start.err()).containsPattern("uploading Java runtime for the sidecars \\(\\d+\\.\\d MB\\) to "
        + runtimeDir + "/jre-[0-9a-f]{16}\\.tar\\.gz\n");
    assertThat(start.err()).as("progress of uploads over a few MB").containsPattern(
        "  node_exporter: \\d+\\.\\d MB of \\d+\\.\\d MB \\(\\d+%\\)");
    assertThat(start.err()).contains("uploaded Java runtime for the sidecars (");

    List<String> entries = runtimeEntries();
    assertThat(entries).anyMatch(e -> e.matches("node_exporter-" + HEX16)).anyMatch(e -> e.matches("jre-" + HEX16))
        .as("no parts, archives or temp folders left").noneMatch(e -> e.contains(".upload-") || e.endsWith(".tar.gz")
            || e.contains(".unpack."));

    // The job's own processes: both programs from the runtime folder, under the PATH that lacks them.
    List<String[]> procs = runtimeProcesses();
    assertThat(procs).anyMatch(p -> p[0].matches(Pattern.quote(runtimeDir.toString()) + "/node_exporter-[0-9a-f]{16}"))
        .anyMatch(p -> p[0].matches(Pattern.quote(runtimeDir.toString()) + "/jre-[0-9a-f]{16}/bin/java"))
        .allMatch(p -> p[1].equals("PATH=" + jobPath));
  }

  @Test
  @Order(2)
  void theNextJobReusesTheRuntimeAndUploadsOnlyPrometheus() throws Exception {
    Needs.that(exporterId != null, "needs the exporter of the previous test");
    List<String> before = runtimeEntries();
    Path recipe = Files.writeString(work.resolve("prometheus.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 1s",
        "  monitoring_targets:",
        "    - service_id: \"" + exporterId + "\"",
        "      job_name: node",
        "  ports: [9090]",
        ""));
    CliResult start = cli.run(configNode2, "--recipe", recipe.toString(), "--output", "json");
    assertThat(start.code()).as(start.err()).isZero();
    String prometheusId = start.json().at("/services/0/service_id").asText();
    assertThat(start.err()).contains("uploading prometheus (").doesNotContain("uploading node_exporter")
        .doesNotContain("Java runtime").doesNotContain("jlink");
    List<String> after = runtimeEntries();
    assertThat(after).containsAll(before).hasSize(before.size() + 1)
        .anyMatch(e -> e.matches("prometheus-" + HEX16));

    // Its discovery sidecar runs the uploaded java; the exporter and its probe sidecar are scraped.
    assertThat(runtimeProcesses()).anyMatch(p -> p[0].matches(Pattern.quote(runtimeDir.toString()) + "/prometheus-" + HEX16))
        .filteredOn(p -> p[0].endsWith("/bin/java")).hasSizeGreaterThanOrEqualTo(2);
    CliResult up = cli.run(configNode1, "--query-service-metrics", prometheusId, "up", "--output", "json");
    assertThat(up.code()).as(up.err()).isZero();
    Map<String, String> byJob = new HashMap<>();
    for (JsonNode r : up.json().at("/data/result")) {
      byJob.put(r.at("/metric/job").asText(), r.at("/value/1").asText());
    }
    assertThat(byJob).containsEntry("node", "1").containsEntry("node-probe", "1").containsEntry("prometheus", "1");

    assertThat(cli.run(configNode1, "--stop-all-services").code()).isZero();
    assertThat(cli.squeueIds()).isEmpty();
  }

  @Test
  @Order(3)
  void aDryRunNamesTheRuntimeFilesAndUploadsNothing() throws Exception {
    // A remote_dir the cluster has never seen: a dry run must leave it absent.
    Path fresh = work.resolve("remote-dry");
    Path config = cli.config("dry.yaml", cluster.nodes().get(0));
    Files.writeString(config, Files.readString(config).replace("remote_dir: " + work.resolve("remote"),
        "remote_dir: " + fresh));
    bare(config);
    CliResult dry = cli.run(config, "--recipe", work.resolve("exporter.yaml").toString(), "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).containsPattern(Pattern.quote(fresh + "/runtime/node_exporter-") + "[0-9a-f]{16}")
        .containsPattern(Pattern.quote(fresh + "/runtime/jre-") + "[0-9a-f]{16}/bin/java")
        .containsPattern(Pattern.quote(fresh + "/runtime/") + "[0-9a-f]{16}\\.jar");
    assertThat(dry.err()).doesNotContain("uploading");
    assertThat(fresh.resolve("runtime")).doesNotExist();
  }

  @Test
  @Order(4)
  void everyShippedRecipeThatNeedsNoGpuStartsAndStopsAsShipped() throws Exception {
    // GPU recipes, and the Prometheus whose only target is a GPU recipe's Ollama (a placeholder ID).
    List<String> gpu = List.of("ollama.yaml", "vllm.yaml", "prometheus_with_ollama.yaml");
    List<Path> shipped;
    try (Stream<Path> files = Files.list(SlurmCli.REPO.resolve("recipes/services"))) {
      shipped = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    List<Path> cpu = shipped.stream().filter(p -> !gpu.contains(p.getFileName().toString())).toList();
    assertThat(cpu).extracting(p -> p.getFileName().toString())
        .contains("generic_http.yaml", "node_exporter.yaml", "prometheus.yaml");
    for (Path recipe : cpu) {
      CliResult start = cli.run(configNode1, "--recipe", recipe.toString(), "--output", "json");
      assertThat(start.code()).as(recipe + ": " + start.err()).isZero();
      String id = start.json().at("/services/0/service_id").asText();
      CliResult status = cli.run(configNode1, "--status", "--output", "json");
      JsonNode mine = null;
      for (JsonNode s : status.json().get("services")) {
        if (s.get("service_id").asText().equals(id)) {
          mine = s;
        }
      }
      assertThat(mine).as(recipe + " in --status").isNotNull();
      assertThat(mine.get("state").asText()).as(recipe.toString()).isEqualTo("RUNNING");
      CliResult stop = cli.run(configNode1, "--stop-service", id);
      assertThat(stop.code()).as(recipe + ": " + stop.err()).isZero();
    }
    assertThat(cli.squeueIds()).isEmpty();
  }

  @Test
  @Order(5)
  void theDemoOnSlurmFindsBothJobsUp() throws Exception {
    CliResult demo = cli.run(configNode1, "--demo");
    assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out()).containsPattern("(?m)^up +node +.* 1$").containsPattern("(?m)^up +prometheus +.* 1$")
        .contains("Every target is up.", "Done.");
    assertThat(cli.squeueIds()).isEmpty();
  }
}
