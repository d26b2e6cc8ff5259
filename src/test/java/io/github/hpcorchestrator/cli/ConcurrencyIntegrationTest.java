package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many CLI calls at once on one state folder (local backend): parallel starts lose and duplicate
 * nothing, parallel status calls and stops interleave without errors, and SQLite's locking holds
 * across separate JVMs as well as threads of one.
 */
@Tag("integration")
class ConcurrencyIntegrationTest {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;
  private LocalCli cli;
  private Path recipe;
  private final Set<String> jobIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
    recipe = LocalCli.sleeperRecipe(dir);
  }

  @AfterEach
  void killLeftovers() throws Exception {
    ProcessGroups.killLeftovers(jobIds);
  }

  @Test
  void twentyParallelStartsThenParallelStatusAndStopsInOneJvm() throws Exception {
    List<CliResult> starts = parallel(20, i -> cli.run("--recipe", recipe.toString(), "--no-wait",
        "--output", "json"));

    Set<String> ids = new HashSet<>();
    Set<String> sessions = new HashSet<>();
    for (CliResult r : starts) {
      assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
      JsonNode json = r.json();
      sessions.add(json.path("session_id").asText());
      JsonNode service = json.path("services").get(0);
      ids.add(service.path("service_id").asText());
      jobIds.add(service.path("job_id").asText());
    }
    assertThat(ids).hasSize(20);
    assertThat(sessions).hasSize(20);
    assertThat(jobIds).hasSize(20);
    assertTracked(ids, 20);

    // Ten status calls race twenty stops; every call succeeds.
    List<Callable<CliResult>> calls = new ArrayList<>();
    List<String> idList = new ArrayList<>(ids);
    for (int i = 0; i < 30; i++) {
      int n = i;
      calls.add(n % 3 == 0
          ? () -> cli.run("--status", "--output", "json")
          : () -> cli.run("--stop-service", idList.get(n - 1 - n / 3), "--output", "json"));
    }
    List<CliResult> mixed = parallel(calls);
    for (CliResult r : mixed) {
      assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
      assertThat(r.err()).doesNotContain("error");
      assertThat(r.json()).isNotNull();
    }

    Map<String, String> states = statesById(cli.json("--status"));
    assertThat(states).hasSize(20);
    assertThat(states.values()).containsOnly("CANCELLED");
    assertThat(dbRows()).hasSize(20).allSatisfy((id, state) -> assertThat(state).isEqualTo("CANCELLED"));
    for (String pgid : jobIds) {
      assertThat(ProcessGroups.alive(pgid)).as("process group %s after --stop-service", pgid).isFalse();
    }
  }

  @Test
  void parallelStartsAsSeparateProcessesShareTheDatabase() throws Exception {
    int processes = 8;
    List<CliResult> starts = parallel(processes, i -> subprocess(i, "--recipe", recipe.toString(),
        "--no-wait", "--output", "json"));
    Set<String> ids = new HashSet<>();
    for (CliResult r : starts) {
      assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
      JsonNode service = r.json().path("services").get(0);
      ids.add(service.path("service_id").asText());
      jobIds.add(service.path("job_id").asText());
    }
    assertThat(ids).hasSize(processes);
    assertTracked(ids, processes);

    // Two processes stop everything at once: both succeed, whichever stops a service first.
    List<CliResult> stops = parallel(2, i -> subprocess(100 + i, "--stop-all-services"));
    stops.forEach(r -> assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero());
    assertThat(statesById(cli.json("--status")).values()).hasSize(processes).containsOnly("CANCELLED");
    for (String pgid : jobIds) {
      assertThat(ProcessGroups.alive(pgid)).as("process group %s after --stop-all-services", pgid).isFalse();
    }
  }

  /** Every ID is in --status and in the state database exactly once, and nothing else is. */
  private void assertTracked(Set<String> ids, int count) throws Exception {
    Map<String, String> states = statesById(cli.json("--status"));
    assertThat(states.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(states.values()).as("states right after --no-wait starts").doesNotContain("FAILED", "UNKNOWN");
    Map<String, String> rows = dbRows();
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/state.db"));
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT service_id), COUNT(DISTINCT job_id)"
            + " FROM services")) {
      rs.next();
      assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))).containsExactly(count, count, count);
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/state.db"));
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(DISTINCT session_id) FROM sessions")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(count);
    }
  }

  private static Map<String, String> statesById(JsonNode status) {
    Map<String, String> states = new HashMap<>();
    for (JsonNode s : status.path("services")) {
      String previous = states.put(s.path("service_id").asText(), s.path("state").asText());
      assertThat(previous).as("row for %s listed twice", s.path("service_id").asText()).isNull();
    }
    return states;
  }

  private Map<String, String> dbRows() throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/state.db"));
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT service_id, state FROM services")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    return rows;
  }

  /** The CLI as its own JVM, as a user's second terminal would run it. */
  private CliResult subprocess(int n, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--config", cli.config().toString()));
    all.addAll(List.of(args));
    return CliProcess.java().run(Files.createDirectories(dir.resolve("call-" + n)), CALL_DEADLINE, all);
  }

  /** A call that may throw, numbered. */
  @FunctionalInterface
  private interface Numbered<T> {
    T call(int i) throws Exception;
  }

  private static <T> List<T> parallel(int n, Numbered<T> call) throws Exception {
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      calls.add(() -> call.call(k));
    }
    return parallel(calls);
  }

  /** Runs every call on its own thread, released together; waits for all within the deadline. */
  private static <T> List<T> parallel(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> c : calls) {
        futures.add(pool.submit(() -> {
          go.await();
          return c.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      long end = System.nanoTime() + CALL_DEADLINE.toNanos();
      for (Future<T> f : futures) {
        results.add(f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }
}
