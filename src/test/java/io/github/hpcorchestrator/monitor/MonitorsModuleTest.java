package io.github.hpcorchestrator.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.config.Limits;
import io.github.hpcorchestrator.service.FakeServers;
import io.github.hpcorchestrator.status.MonitorStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MonitorsModule over the fake scheduler: which services are monitors, their status, and stopping one. */
class MonitorsModuleTest {
  @TempDir Path dir;
  @AutoClose
  private FakeServers fake;
  private String session;


  private MonitorsModule monitors() {
    fake = new FakeServers(dir.resolve("state"), "slurm");
    session = fake.store.newSession("r.yaml", FakeServers.NOW);
    return new MonitorsModule(fake.servers, dir.resolve("metrics"), Clock.fixed(FakeServers.NOW, ZoneOffset.UTC),
        Limits.defaults());
  }

  private String start(String name) {
    return fake.servers.startService(FakeServers.sleeper(name), session, "r.yaml", false);
  }

  @Test
  void aMonitorRecipeMustNamePrometheusAndNothingIsSubmittedOtherwise() {
    MonitorsModule monitors = monitors();

    assertThatThrownBy(() -> monitors.startMonitor(FakeServers.sleeper("grafana")))
        .isInstanceOf(InputException.class)
        .hasMessage("a monitor recipe must describe a service named prometheus, found 'grafana'");
    assertThat(fake.scheduler.submitted).isEmpty();
  }

  @Test
  void onlyPrometheusServicesAreMonitors() {
    MonitorsModule monitors = monitors();
    String prometheus = start("prometheus");
    String sleeper = start("sleeper");

    assertThat(monitors.listRunningMonitors()).containsExactly(prometheus);
    assertThatThrownBy(() -> monitors.checkMonitorStatus(sleeper))
        .isInstanceOf(InputException.class)
        .hasMessage("service " + sleeper + " is not a monitor (Prometheus); see --list-monitors");
  }

  @Test
  void aMonitorsStatusCarriesItsJobNodesAndTimes() {
    MonitorsModule monitors = monitors();
    String id = start("prometheus");
    fake.scheduler.states.put(id, new JobStatus(JobState.RUNNING, "", Optional.empty(), List.of("cn1", "cn2"),
        Optional.of(FakeServers.NOW.plusSeconds(5)), List.of()));

    MonitorStatus status = monitors.checkMonitorStatus(id);

    assertThat(status.monitorId()).isEqualTo(id);
    assertThat(status.status()).isEqualTo("running");
    assertThat(status.jobId()).isEqualTo("100");
    assertThat(status.nodes()).containsExactly("cn1", "cn2");
  }

  @Test
  void aMonitorWithoutAnEndpointIsNotQueriedButStillStopped() {
    MonitorsModule monitors = monitors();
    String id = start("prometheus");
    fake.scheduler.states.put(id, JobStatus.of(JobState.PENDING, "Priority"));

    assertThatThrownBy(() -> monitors.queryMetrics(id, "up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("monitor " + id + " is PENDING, not running: nothing to query");
    List<String> progress = new ArrayList<>();
    assertThat(monitors.stopMonitor(id, progress::add)).isTrue();

    assertThat(progress.get(0)).isEqualTo("could not save the session's metrics: monitor " + id
        + " is PENDING; nothing was saved before");
    assertThat(fake.scheduler.cancelled).extracting(SubmittedJob::serviceId).containsExactly(id);
    assertThat(monitors.listRunningMonitors()).isEmpty();
  }
}
