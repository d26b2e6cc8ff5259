package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile strings in every free-text field a recipe allows, on the local backend and on the real
 * SLURM test cluster (over SSH to its login node): the service gets them verbatim as data, no shell
 * ever runs them (no {@code /tmp/pwn-<uuid>-*} file appears), nothing is written outside the
 * service's own folder, and a dry run shows them only inside single quotes.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InjectionIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private final String uuid = UUID.randomUUID().toString();
  private final String pwn = "/tmp/pwn-" + uuid;
  private Path work;
  private TestCluster cluster;

  @BeforeAll
  void setUp() throws IOException {
    work = Files.createTempDirectory("hpco-injection");
  }

  @AfterAll
  void tearDown() throws Exception {
    try {
      if (cluster != null) {
        new LocalShell(cluster.slurmEnvironment()).run(List.of("scancel", "--me"), Duration.ofSeconds(30));
      }
    } finally {
      io.github.hpcorchestrator.testbed.TempFolder.deleteQuietly(work);
    }
  }

  /** Every hostile string the free-text fields carry; each would create a pwn file if a shell ran it. */
  private List<String> hostile() {
    return List.of(
        "$(touch " + pwn + "-1)",
        "`touch " + pwn + "-2`",
        "'; touch " + pwn + "-3; '",
        "\"; touch " + pwn + "-4;\"",
        "x\ntouch " + pwn + "-5",
        "a && touch " + pwn + "-6 || touch " + pwn + "-6b &",
        "${IFS}touch${IFS}" + pwn + "-7 \\' \\\" $HOME",
        "$(touch " + pwn + "-8)'\"`touch " + pwn + "-8b`");
  }

  /** A YAML double-quoted scalar for {@code s}. */
  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /**
   * A generic service whose command prints its arguments and environment; every hostile string
   * is an argument, an environment value and part of the description.
   */
  private Path hostileRecipe(Path dir, boolean withContainer) throws IOException {
    List<String> h = hostile();
    StringBuilder y = new StringBuilder("service:\n  name: hostile\n");
    y.append("  description: ").append(q(String.join(" | ", h))).append('\n');
    y.append("  command: /bin/bash\n  args:\n");
    y.append("    - \"-c\"\n");
    y.append("    - ").append(q("for a in \"$@\"; do printf 'ARG<%s>\\n' \"$a\"; done;"
        + " for i in 0 1 2 3 4 5 6 7; do v=EVIL_$i; printf 'ENV<%s>\\n' \"${!v}\"; done")).append('\n');
    y.append("    - bash\n");
    for (String s : h) {
      y.append("    - ").append(q(s)).append('\n');
    }
    y.append("  environment:\n");
    for (int i = 0; i < h.size(); i++) {
      y.append("    EVIL_").append(i).append(": ").append(q(h.get(i))).append('\n');
    }
    // A port, so the hostile health endpoint is a valid key (an HTTP health check needs a port).
    y.append("  ports: [45873]\n");
    y.append("  health_check:\n    endpoint: ").append(q("/x;touch${IFS}" + pwn + "-9;$(touch${IFS}" + pwn
        + "-9b)")).append('\n');
    y.append("  resources:\n    time: \"00:05:00\"\n    mem: 100M\n    cpus_per_task: 1\n");
    if (withContainer) {
      y.append("  container:\n    image_path: ").append(q("/img/$(touch " + pwn + "-10)'x.sif")).append('\n');
      y.append("    docker_source: ").append(q("docker://x;touch " + pwn + "-11")).append('\n');
    }
    return Files.writeString(dir.resolve(withContainer ? "hostile-container.yaml" : "hostile.yaml"), y.toString());
  }

  private Path prometheusRecipe(Path dir) throws IOException {
    return Files.writeString(dir.resolve("prometheus-hostile.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  description: " + q(hostile().get(0)),
        "  monitoring_targets:",
        "    - host: 127.0.0.1",
        "      port: 9100",
        "      job_name: node",
        "      metrics_path: " + q("/m;touch${IFS}" + pwn + "-12;$(touch${IFS}" + pwn + "-12b)'\"`x`"),
        ""));
  }

  private static CliResult run(Path config, String... args) {
    return LocalCli.call(config, args);
  }

  @Test
  void localBackend() throws Exception {
    Path dir = Files.createDirectories(work.resolve("local"));
    Path state = dir.resolve("state");
    Path config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + state + "\nrecipes_dir: " + dir + "\n");
    Path slurmConfig = Files.writeString(dir.resolve("slurm-config.yaml"),
        "backend: slurm\nstate_dir: " + dir.resolve("slurm-state") + "\nremote_dir: " + dir.resolve("remote") + "\n");

    assertThat(run(config, "--status").code()).isZero();
    Set<String> before = listing(state);
    String id = startAndAwaitCompleted(config, hostileRecipe(dir, false));
    String log = Files.readString(state.resolve("services").resolve(id).resolve("service.log"));
    assertVerbatim(log);
    assertOnlyServiceFolderIsNew(before, listing(state), "services/" + id);

    dryRunsQuoteEverything(config, slurmConfig, dir);
    hostileIdsAreRejected(config);
    assertNoPwnFile(state);
  }

  @Test
  void slurmBackend(TestCluster shared) throws Exception {
    cluster = shared;
    Path dir = Files.createDirectories(work.resolve("slurm"));
    Path remote = dir.resolve("remote");
    Path config = Files.writeString(dir.resolve("config.yaml"), String.join("\n",
        "backend: slurm",
        "state_dir: " + dir.resolve("state"),
        "recipes_dir: " + dir,
        "remote_dir: " + remote,
        "hpc:",
        "  hostname: " + cluster.get("LOGIN_HOST"),
        "  port: " + cluster.get("LOGIN_PORT"),
        "  username: " + cluster.get("SSH_USER"),
        "  key_filename: " + cluster.get("SSH_KEY"),
        "  known_hosts: " + cluster.get("KNOWN_HOSTS"),
        ""));
    Files.createDirectories(remote);

    Set<String> before = listing(remote);
    String id = startAndAwaitCompleted(config, hostileRecipe(dir, false));
    Path serviceDir = remote.resolve("services").resolve(id);
    String log;
    try (Stream<Path> files = Files.list(serviceDir)) {
      Path out = files.filter(p -> p.getFileName().toString().startsWith("slurm-")).findFirst().orElseThrow();
      log = Files.readString(out);
    }
    assertVerbatim(log);
    assertOnlyServiceFolderIsNew(before, listing(remote), "services/" + id);

    hostileIdsAreRejected(config);
    assertNoPwnFile(remote);
  }

  private String startAndAwaitCompleted(Path config, Path recipe) throws Exception {
    CliResult started = run(config, "--recipe", recipe.toString(), "--no-wait", "--output", "json");
    assertThat(started.code()).as(started.err()).isZero();
    String id = started.json().at("/services/0/service_id").asText();
    assertThat(id).matches("hostile_[0-9a-f]{8}");
    Await.until(id + " COMPLETED", DEADLINE, () -> stateOf(config, id), state -> {
      assertThat(state).as("state of %s", id).isIn("PENDING", "RUNNING", "COMPLETED");
      return state.equals("COMPLETED");
    });
    return id;
  }

  private static String stateOf(Path config, String id) {
    CliResult status = run(config, "--status", "--output", "json");
    assertThat(status.code()).as(status.err()).isZero();
    for (JsonNode s : status.json().path("services")) {
      if (s.path("service_id").asText().equals(id)) {
        return s.path("state").asText();
      }
    }
    return "";
  }

  /** The service printed every hostile string, as argument and as environment value, unchanged. */
  private void assertVerbatim(String log) {
    for (String s : hostile()) {
      assertThat(log).contains("ARG<" + s + ">").contains("ENV<" + s + ">");
    }
  }

  private void dryRunsQuoteEverything(Path localConfig, Path slurmConfig, Path dir) throws IOException {
    for (Path config : List.of(localConfig, slurmConfig)) {
      CliResult dry = run(config, "--recipe", hostileRecipe(dir, config == slurmConfig).toString(), "--dry-run");
      assertThat(dry.code()).as(dry.err()).isZero();
      assertOnlyInSingleQuotes(dry.out());
      CliResult prom = run(config, "--recipe", prometheusRecipe(dir).toString(), "--dry-run");
      assertThat(prom.code()).as(prom.err()).isZero();
      // The job script part is shell; the prometheus.yml after it is YAML that no shell reads.
      String script = prom.out().substring(0, prom.out().indexOf("# ---- file prometheus.yml"));
      assertThat(script).doesNotContain(pwn);
      assertThat(prom.out()).contains("touch${IFS}" + pwn + "-12");
    }
    assertThat(dir.resolve("slurm-state").resolve("services")).doesNotExist();
    assertThat(dir.resolve("remote")).doesNotExist();
  }

  private void hostileIdsAreRejected(Path config) {
    for (String id : List.of("x'; touch " + pwn + "-20; '", "x;touch " + pwn + "-21", "$(touch " + pwn + "-22)",
        "\"; touch " + pwn + "-23; \"", "../x_deadbeef\ntouch " + pwn + "-24")) {
      for (String action : List.of("--service-endpoint", "--stop-service", "--monitor-status")) {
        CliResult r = run(config, action, id);
        assertThat(r.code()).as(action + " " + id + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("is not a service ID");
      }
      CliResult q = run(config, "--query-service-metrics", id, "up");
      assertThat(q.code()).isEqualTo(2);
    }
  }

  /**
   * Every occurrence of the pwn marker in {@code script} lies inside a single-quoted shell word:
   * a small lexer tracks single quotes, double quotes, backslashes and comments.
   */
  private void assertOnlyInSingleQuotes(String script) {
    char[] state = new char[script.length()];
    char mode = ' ';
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      state[i] = mode;
      switch (mode) {
        case '\'' -> {
          if (c == '\'') {
            mode = ' ';
            state[i] = ' ';
          }
        }
        case '"' -> {
          if (c == '\\') {
            i++;
          } else if (c == '"') {
            mode = ' ';
          }
        }
        case '#' -> {
          if (c == '\n') {
            mode = ' ';
          }
        }
        default -> {
          if (c == '\\') {
            i++;
          } else if (c == '\'') {
            mode = '\'';
            state[i] = ' ';
          } else if (c == '"') {
            mode = '"';
          } else if (c == '#' && (i == 0 || Character.isWhitespace(script.charAt(i - 1)))) {
            mode = '#';
            state[i] = '#';
          }
        }
      }
    }
    String marker = "pwn-" + uuid;
    int found = 0;
    for (int at = script.indexOf(marker); at >= 0; at = script.indexOf(marker, at + 1)) {
      found++;
      for (int k = at; k < at + marker.length(); k++) {
        if (state[k] != '\'') {
          int lineStart = script.lastIndexOf('\n', at) + 1;
          int lineEnd = script.indexOf('\n', at);
          throw new AssertionError("hostile text outside single quotes at offset " + at + ": "
              + script.substring(lineStart, lineEnd < 0 ? script.length() : lineEnd));
        }
      }
    }
    assertThat(found).as("hostile strings in the dry run").isPositive();
  }

  private void assertNoPwnFile(Path... extra) throws IOException {
    List<Path> roots = new ArrayList<>(List.of(Path.of("/tmp"), Path.of("").toAbsolutePath(), work));
    roots.addAll(List.of(extra));
    for (Path root : roots) {
      List<Path> pwned = new ArrayList<>();
      // Other programs' temp folders come and go under /tmp while this walks (the login node's
      // remote shell removes its own when a connection closes): a vanished entry is skipped.
      Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class),
          root.equals(Path.of("/tmp")) ? 1 : 8, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d,
                BasicFileAttributes a) {
              return visit(d);
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
              return visit(f);
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              return visit(f);
            }

            private FileVisitResult visit(Path p) {
              if (p.getFileName() != null && p.getFileName().toString().contains(uuid)) {
                pwned.add(p);
              }
              return FileVisitResult.CONTINUE;
            }
          });
      assertThat(pwned).as("files made by injected commands under %s", root).isEmpty();
    }
  }

  /** Relative paths of everything under {@code root}. */
  private static Set<String> listing(Path root) throws IOException {
    if (!Files.exists(root)) {
      return Set.of();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.map(p -> root.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void assertOnlyServiceFolderIsNew(Set<String> before, Set<String> after, String serviceFolder) {
    Set<String> added = new TreeSet<>(after);
    added.removeAll(before);
    added.removeIf(p -> p.isEmpty() || p.equals("services") || p.equals(serviceFolder) || p.startsWith(serviceFolder + "/")
        || p.startsWith("state.db")
        // The local scheduler's lock for handing out ports: the orchestrator's own, made on first use.
        || p.equals("services/.ports.lock"));
    assertThat(added).as("paths created outside %s", serviceFolder).isEmpty();
  }
}
