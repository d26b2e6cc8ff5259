package io.github.hpcorchestrator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.FakeScheduler;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.config.Limits;
import io.github.hpcorchestrator.prometheus.GlobalConfig;
import io.github.hpcorchestrator.prometheus.InstanceIdentity;
import io.github.hpcorchestrator.prometheus.PrometheusConfig;
import io.github.hpcorchestrator.prometheus.PrometheusConfigWriter;
import io.github.hpcorchestrator.prometheus.RawHttpServer;
import io.github.hpcorchestrator.service.FakeServers;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query for a monitor whose endpoint state knows goes straight to it once the Prometheus there
 * says it is that monitor, asking the scheduler nothing; any other instance on that port never
 * answers it (a query made beside the check there goes unused); a monitor without the marker
 * (started before it existed) is still queried, through a refresh.
 */
class QueryRouteTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final String ID = "prometheus_0a1b2c3d";
  private static final String VECTOR = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
      + "[{\"metric\":{\"__name__\":\"up\",\"job\":\"prometheus\"},\"value\":[1764669600,\"1\"]}]}}";

  @TempDir Path dir;
  private FakeServers fake;
  private FakeScheduler scheduler;
  private StateStore store;
  private RawHttpServer prometheus;

  @AfterEach
  void close() throws IOException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  private MonitorsModule monitors() {
    fake = new FakeServers(dir, "local");
    scheduler = fake.scheduler;
    store = fake.store;
    return new MonitorsModule(fake.servers, dir.resolve("metrics"), Clock.fixed(NOW, ZoneOffset.UTC), Limits.defaults());
  }

  /** A fake Prometheus whose loaded config carries {@code marker} (none when empty). */
  private void prometheusClaiming(Optional<String> marker) throws IOException {
    String config = configClaiming(marker);
    prometheus = new RawHttpServer((target, out) -> RawHttpServer.json(out,
        target.startsWith("/api/v1/status/config") ? config : VECTOR));
  }

  /** The answer of /api/v1/status/config for a config that carries {@code marker} (none when empty). */
  private static String configClaiming(Optional<String> marker) throws IOException {
    GlobalConfig global = new GlobalConfig(Duration.ofSeconds(15), Duration.ofSeconds(15),
        marker.map(InstanceIdentity::labels).orElse(Map.of()));
    String yaml = new PrometheusConfigWriter().write(new PrometheusConfig(global, List.of()));
    return new ObjectMapper().writeValueAsString(Map.of("status", "success", "data", Map.of("yaml", yaml)));
  }

  private ServiceRecord runningMonitor() {
    ServiceRecord r = new ServiceRecord(ID, "prometheus", "session_1", "local", "4000001",
        scheduler.folderOf(ID), 9090, JobState.RUNNING, "node1", "127.0.0.1", prometheus.uri().getPort(),
        Optional.empty(), NOW.minusSeconds(60), Optional.of(NOW.minusSeconds(50)), Optional.empty(), "r.yaml");
    store.newSession("r.yaml", NOW);
    store.insert(r);
    return r;
  }

  private void pollsAnswer(JobStatus status) {
    scheduler.states.put(ID, status);
  }

  @Test
  void aQueryWithAValidEndpointInStateRunsNoSchedulerCall() throws IOException {
    MonitorsModule monitors = monitors();
    prometheusClaiming(Optional.of(ID));
    runningMonitor();

    assertThat(monitors.queryMetrics("0a1b2c3d", "up").raw().toString()).contains("\"up\"");
    assertThat(monitors.collectMetricsToFile(ID, "up", "up.json",
        io.github.hpcorchestrator.report.MetricsFiles.Format.json, Optional.empty())).exists();

    assertThat(scheduler.calls).as("no squeue, no discovery, no log read").isEmpty();
    assertThat(prometheus.targets()).filteredOn(t -> t.startsWith("/api/v1/query")).hasSize(2);
  }

  @Test
  void theQueryRunsBesideTheIdentityCheck() throws IOException {
    MonitorsModule monitors = monitors();
    String config = configClaiming(Optional.of(ID));
    CountDownLatch queried = new CountDownLatch(1);
    // Its config (the check's answer) only once the query has arrived: made one after the other,
    // the check would wait its 5 s out here and the test fail on the time.
    prometheus = new RawHttpServer((target, out) -> {
      if (target.startsWith("/api/v1/status/config")) {
        queried.await(5, TimeUnit.SECONDS);
        RawHttpServer.json(out, config);
      } else {
        queried.countDown();
        RawHttpServer.json(out, VECTOR);
      }
    });
    runningMonitor();

    long began = System.nanoTime();
    assertThat(monitors.queryMetrics(ID, "up").raw().toString()).contains("\"up\"");
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(4));
    assertThat(scheduler.calls).isEmpty();
  }

  @Test
  void aFailedQueryAtTheCheckedMonitorIsTheAnswer() throws IOException {
    MonitorsModule monitors = monitors();
    String config = configClaiming(Optional.of(ID));
    prometheus = new RawHttpServer((target, out) -> RawHttpServer.json(out,
        target.startsWith("/api/v1/status/config") ? config
            : "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}"));
    runningMonitor();

    assertThatThrownBy(() -> monitors.queryMetrics(ID, "up{"))
        .isInstanceOf(io.github.hpcorchestrator.OrchestratorException.class)
        .hasMessageContaining("parse error at char 3");
    assertThat(scheduler.calls).as("a checked monitor's own error needs no refresh").isEmpty();
  }

  @Test
  void anotherMonitorOnTheRememberedPortNeverAnswersAndTheErrorSaysTheMonitorIsGone() throws IOException {
    MonitorsModule monitors = monitors();
    prometheusClaiming(Optional.of("prometheus_ffff0000"));
    runningMonitor();
    pollsAnswer(JobStatus.of(JobState.FAILED, "process group vanished without an exit code (killed?)"));

    assertThatThrownBy(() -> monitors.queryMetrics(ID, "up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("monitor " + ID + " is FAILED, not running: nothing to query");
    assertThat(scheduler.polled).as("the failed check refreshed status").hasSize(1);
    assertThat(prometheus.targets()).as("at most the one beside the check, its answer unused")
        .filteredOn(t -> t.startsWith("/api/v1/query")).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void anotherMonitorWhereTheSchedulerStillPlacesThisOneIsAClearError() throws IOException {
    MonitorsModule monitors = monitors();
    prometheusClaiming(Optional.of("prometheus_ffff0000"));
    runningMonitor();
    pollsAnswer(JobStatus.of(JobState.RUNNING, ""));

    assertThatThrownBy(() -> monitors.queryMetrics(ID, "up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("the Prometheus at 127.0.0.1:" + prometheus.uri().getPort()
            + " is monitor prometheus_ffff0000, not " + ID + " (which the scheduler still places there): nothing it"
            + " answered is used");
    assertThat(prometheus.targets()).as("none after the refresh: at most the one beside the check")
        .filteredOn(t -> t.startsWith("/api/v1/query")).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aMonitorWithoutTheMarkerIsQueriedThroughARefreshCheckedOnce() throws IOException {
    MonitorsModule monitors = monitors();
    prometheusClaiming(Optional.empty());
    runningMonitor();
    pollsAnswer(JobStatus.of(JobState.RUNNING, ""));

    assertThat(monitors.queryMetrics(ID, "up").raw().toString()).contains("\"up\"");
    assertThat(scheduler.polled).hasSize(1);
    assertThat(prometheus.targets()).filteredOn(t -> t.startsWith("/api/v1/status/config")).hasSize(1);
    assertThat(prometheus.targets()).as("the query beside the check is the answer: the refresh found it there")
        .filteredOn(t -> t.startsWith("/api/v1/query")).hasSize(1);
  }

  @Test
  void aQueryAndAnUnchangedRefreshTakeNoWriteLock() throws Exception {
    MonitorsModule monitors = monitors();
    prometheusClaiming(Optional.of(ID));
    ServiceRecord r = runningMonitor();
    pollsAnswer(new JobStatus(JobState.RUNNING, "", Optional.empty(), List.of("node1"), r.startedAt(), List.of()));
    try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
        Statement st = writer.createStatement()) {
      st.execute("BEGIN IMMEDIATE"); // another process holds the write lock for as long as it likes

      assertThat(monitors.queryMetrics(ID, "up").raw().toString()).contains("\"up\"");
      assertThat(monitors.listRunningMonitors()).containsExactly(ID);

      st.execute("ROLLBACK");
    }
  }
}
