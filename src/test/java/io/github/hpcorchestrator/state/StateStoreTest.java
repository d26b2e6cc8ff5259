package io.github.hpcorchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");

  @TempDir Path dir;

  private static ServiceRecord record(String id, JobState state) {
    return new ServiceRecord(id, id.substring(0, id.length() - 9), "session_1", "local", "4242",
        "/state/services/" + id, 9100, state, "", "", 0, Optional.empty(), T0, Optional.empty(),
        Optional.empty(), "recipes/services/node_exporter.yaml");
  }

  private static ServiceRecord running(ServiceRecord r, int port) {
    return new ServiceRecord(r.serviceId(), r.name(), r.sessionId(), r.backend(), r.jobId(), r.serviceDir(),
        r.requestedPort(), JobState.RUNNING, "node1", "localhost", port, Optional.empty(), r.submittedAt(),
        Optional.of(T0.plusSeconds(1)), Optional.empty(), r.recipe());
  }

  private static ServiceRecord ended(ServiceRecord r, JobState state, int exitCode) {
    return new ServiceRecord(r.serviceId(), r.name(), r.sessionId(), r.backend(), r.jobId(), r.serviceDir(),
        r.requestedPort(), state, r.node(), r.host(), r.port(), Optional.of(exitCode), r.submittedAt(),
        r.startedAt(), Optional.of(T0.plusSeconds(60)), r.recipe());
  }

  @Test
  void createsAPrivateStateFolderAndDatabaseOnTheFirstWriteOnly() throws Exception {
    Path state = dir.resolve("state");
    try (StateStore store = StateStore.open(state)) {
      assertThat(store.services()).isEmpty();
      assertThat(state).as("reading absent state creates nothing").doesNotExist();
      store.newSession("r.yaml", java.time.Instant.EPOCH);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("state.db"))))
        .isEqualTo("rw-------");
  }

  @Test
  void insertStoresANewRecordAndRefusesATakenId() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord first = record("node_exporter_6355d49f", JobState.PENDING);
      assertThat(store.insert(first)).isTrue();
      assertThat(store.insert(running(first, 9999))).isFalse();

      assertThat(store.service("node_exporter_6355d49f")).contains(first);
      assertThat(store.service("6355d49f")).isEmpty();
      assertThat(store.services()).containsExactly(first);
    }
  }

  @Test
  void recordsRoundTripEveryField() {
    ServiceRecord full = new ServiceRecord("prometheus_0a1b2c3d", "prometheus", "session_7", "local", "123",
        "/s/prometheus_0a1b2c3d", 9090, JobState.FAILED, "node1", "localhost", 9091, Optional.of(4),
        T0, Optional.of(T0.plusMillis(1500)), Optional.of(T0.plusSeconds(30)), "r.yaml", "hit its time limit");
    try (StateStore store = StateStore.open(dir)) {
      store.put(full);
    }
    try (StateStore reopened = StateStore.open(dir)) {
      assertThat(reopened.services()).containsExactly(full);
    }
  }

  @Test
  void aDatabaseOfSchemaOneGetsTheReasonColumnAndKeepsItsRows() throws Exception {
    Files.createDirectories(dir);
    try (java.sql.Connection old = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
        java.sql.Statement st = old.createStatement()) {
      st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("INSERT INTO meta VALUES ('schema_version', '1')");
      st.execute("CREATE TABLE sessions (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT UNIQUE,"
          + " recipe TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER)");
      st.execute("CREATE TABLE services (service_id TEXT PRIMARY KEY, name TEXT NOT NULL, session_id TEXT NOT NULL,"
          + " backend TEXT NOT NULL, job_id TEXT NOT NULL, service_dir TEXT NOT NULL, requested_port INTEGER NOT NULL,"
          + " state TEXT NOT NULL, node TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, exit_code INTEGER,"
          + " submitted_at INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER, recipe TEXT NOT NULL)");
      st.execute("INSERT INTO services VALUES ('node_exporter_6355d49f', 'node_exporter', 'session_1', 'local',"
          + " '4242', '/s', 9100, 'FAILED', 'node1', 'localhost', 9100, 3, " + T0.toEpochMilli() + ", NULL, NULL, 'r.yaml')");
    }
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord old = store.service("node_exporter_6355d49f").orElseThrow();
      assertThat(old.exitCode()).contains(3);
      assertThat(old.reason()).isEmpty();
      ServiceRecord failed = new ServiceRecord(old.serviceId(), old.name(), old.sessionId(), old.backend(), old.jobId(),
          old.serviceDir(), old.requestedPort(), old.state(), old.node(), old.host(), old.port(), old.exitCode(),
          old.submittedAt(), old.startedAt(), old.endedAt(), old.recipe(), "exited with code 3");
      store.put(failed);
      assertThat(store.services()).containsExactly(failed);
    }
  }

  @Test
  void putReplacesTheStoredRecord() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord pending = record("node_exporter_6355d49f", JobState.PENDING);
      store.insert(pending);
      ServiceRecord cancelled = ended(running(pending, 9100), JobState.CANCELLED, 143);
      store.put(cancelled);

      assertThat(store.services()).containsExactly(cancelled);
    }
  }

  @Test
  void observeUpdatesServicesThatHaveNotEnded() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord pending = record("node_exporter_6355d49f", JobState.PENDING);
      store.insert(pending);
      ServiceRecord seen = running(pending, 9101);
      store.observe(List.of(seen));

      assertThat(store.service(pending.serviceId())).contains(seen);
    }
  }

  @Test
  void observeNeverOverwritesAFinalStateWrittenByPut() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord pending = record("node_exporter_6355d49f", JobState.PENDING);
      store.insert(pending);
      ServiceRecord stopped = ended(running(pending, 9100), JobState.CANCELLED, 143);
      store.put(stopped);

      // An observation made before the stop arrives late: it must not bring the service back.
      store.observe(List.of(running(pending, 9100)));

      assertThat(store.service(pending.serviceId())).contains(stopped);
    }
  }

  @Test
  void anObservationWithoutAJobIdNeverWipesAJobIdRecordedMeanwhile() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord recorded = record("node_exporter_6355d49f", JobState.PENDING);
      ServiceRecord withoutJob = withJob(recorded, "", JobState.PENDING, Optional.empty(),
          "being submitted (no job ID recorded yet)");
      store.insert(withoutJob);
      // The starting call records the job ID; an observer that read the row before lands its settle after.
      store.put(recorded);
      store.observe(List.of(withJob(recorded, "", JobState.UNKNOWN, Optional.of(T0.plusSeconds(300)),
          "no job was found for it")));
      store.observe(List.of(withoutJob));

      assertThat(store.service(recorded.serviceId())).contains(recorded);
    }
  }

  @Test
  void aSettleStillAppliesToARowThatHasNoJobId() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord withoutJob = withJob(record("node_exporter_6355d49f", JobState.PENDING), "", JobState.PENDING,
          Optional.empty(), "");
      store.insert(withoutJob);
      ServiceRecord settled = withJob(withoutJob, "", JobState.UNKNOWN, Optional.of(T0.plusSeconds(300)),
          "no job was found for it");
      store.observe(List.of(settled));

      assertThat(store.service(settled.serviceId())).contains(settled);
    }
  }

  private static ServiceRecord withJob(ServiceRecord r, String jobId, JobState state, Optional<Instant> endedAt,
      String reason) {
    return new ServiceRecord(r.serviceId(), r.name(), r.sessionId(), r.backend(), jobId, r.serviceDir(),
        r.requestedPort(), state, r.node(), r.host(), r.port(), r.exitCode(), r.submittedAt(), r.startedAt(),
        endedAt, r.recipe(), reason);
  }

  @Test
  void observeInsertsServicesThatStateDidNotKnow() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord discovered = running(record("ollama_11112222", JobState.PENDING), 11434);
      store.observe(List.of(discovered));

      assertThat(store.services()).containsExactly(discovered);
    }
  }

  @Test
  void sessionsAreNumberedFromOneAndSurviveReopening() {
    try (StateStore store = StateStore.open(dir)) {
      assertThat(store.newSession("a.yaml", T0)).isEqualTo("session_1");
      assertThat(store.newSession("b.yaml", T0)).isEqualTo("session_2");
    }
    try (StateStore store = StateStore.open(dir)) {
      assertThat(store.newSession("c.yaml", T0)).isEqualTo("session_3");
    }
  }

  @Test
  void aSessionIdIsForeseenWithoutWritingAndClaimedOnce() {
    try (StateStore store = StateStore.open(dir)) {
      assertThat(store.nextSessionId()).isEqualTo("session_1");
      assertThat(dir.resolve("state.db")).doesNotExist();
      assertThat(store.openSession("session_1", "a.yaml", T0)).isTrue();
      assertThat(store.openSession("session_1", "b.yaml", T0)).as("taken by the first start").isFalse();
      assertThat(store.nextSessionId()).isEqualTo("session_2");
      assertThat(store.newSession("c.yaml", T0)).isEqualTo("session_2");
    }
  }

  @Test
  void forgetFinishedRemovesOnlyEndedServices() {
    try (StateStore store = StateStore.open(dir)) {
      ServiceRecord a = record("a_00000001", JobState.PENDING);
      ServiceRecord b = running(record("b_00000002", JobState.PENDING), 1);
      ServiceRecord c = ended(record("c_00000003", JobState.PENDING), JobState.COMPLETED, 0);
      ServiceRecord d = ended(record("d_00000004", JobState.PENDING), JobState.FAILED, 3);
      ServiceRecord e = ended(record("e_00000005", JobState.PENDING), JobState.CANCELLED, 143);
      ServiceRecord f = record("f_00000006", JobState.UNKNOWN);
      for (ServiceRecord r : List.of(a, b, c, d, e, f)) {
        store.put(r);
      }

      assertThat(store.forgetFinished()).isEqualTo(4);
      assertThat(store.services()).containsExactlyInAnyOrder(a, b);
      assertThat(store.forgetFinished()).isZero();
    }
  }

  @RepeatedTest(20) // the first-open race showed in about 1 of 20 runs
  void parallelStoresOnOneFolderLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 25;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> sessions = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        sessions.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          try (StateStore store = StateStore.open(dir)) {
            for (int i = 0; i < perThread; i++) {
              String id = String.format("svc%d_%08x", thread, thread * 1000 + i);
              assertThat(store.insert(record(id, JobState.PENDING))).isTrue();
            }
            return store.newSession("thread " + thread, T0);
          }
        }));
      }
      Set<String> sessionIds = new HashSet<>();
      for (Future<String> f : sessions) {
        sessionIds.add(f.get(120, TimeUnit.SECONDS));
      }

      assertThat(sessionIds).hasSize(threads);
      Set<String> expected = new HashSet<>();
      for (int i = 1; i <= threads; i++) {
        expected.add("session_" + i);
      }
      assertThat(sessionIds).isEqualTo(expected);
      try (StateStore store = StateStore.open(dir)) {
        assertThat(store.services()).hasSize(threads * perThread);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
