package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServersModule over the fake scheduler: one plan per start, recorded before submit, observed, stopped. */
class ServersModuleTest {
  @TempDir Path dir;
  @AutoClose
  private FakeServers fake;

  private ServersModule servers() {
    return (fake = new FakeServers(dir, "local")).servers;
  }

  @Test
  void aStartPlansOnceRendersOnceSubmitsOnceAndKeepsThePlannedIdAndCredentials() {
    ServersModule servers = servers();
    String session = fake.store.newSession("r.yaml", FakeServers.NOW);
    fake.kind.drawCredentials();

    String id = servers.startService(FakeServers.sleeper("counted"), session, "r.yaml", false);

    assertThat(fake.kind.plans).containsExactly(java.util.Map.entry(id, 1));
    assertThat(fake.scheduler.submitted).singleElement().satisfies(job -> {
      assertThat(job.serviceId()).isEqualTo(id);
      assertThat(job.files()).containsEntry("session", session + "\n");
    });
    assertThat(fake.scheduler.calls.stream().filter(c -> c.startsWith("render"))).containsExactly("render " + id);
    // The planning context observed the running services once: one discover for the one plan.
    assertThat(fake.scheduler.calls.stream().filter(c -> c.equals("discover"))).hasSize(1);
    assertThat(fake.secrets.get(id)).isPresent();
  }

  @Test
  void theRowAndItsCredentialsAreRecordedBeforeTheJobIsSubmitted() {
    ServersModule servers = servers();
    String session = fake.store.newSession("r.yaml", FakeServers.NOW);
    List<ServiceRecord> atSubmit = new ArrayList<>();
    List<Boolean> secretAtSubmit = new ArrayList<>();
    fake.kind.drawCredentials();
    fake.scheduler.beforeSubmit(job -> {
      atSubmit.add(fake.store.service(job.serviceId()).orElseThrow());
      secretAtSubmit.add(fake.secrets.get(job.serviceId()).isPresent());
    });

    String id = servers.startService(FakeServers.sleeper("counted"), session, "r.yaml", false);

    assertThat(atSubmit).singleElement().satisfies(r -> {
      assertThat(r.jobId()).isEmpty();
      assertThat(r.state()).isEqualTo(JobState.PENDING);
      assertThat(r.serviceDir()).isEqualTo(fake.scheduler.folderOf(id));
    });
    assertThat(secretAtSubmit).containsExactly(true);
    assertThat(fake.store.service(id).orElseThrow().jobId()).isEqualTo("100");
  }

  @Test
  void aDryRunRendersThePlanItWasGivenWithoutRecordingOrSubmitting() {
    ServersModule servers = servers();
    ServicePlan plan = servers.plan(FakeServers.sleeper("counted"), "(dry run)", false);

    String rendered = servers.render(plan);

    assertThat(rendered).contains("# " + plan.serviceId());
    assertThat(fake.kind.planCount()).isEqualTo(1);
    assertThat(fake.scheduler.submitted).isEmpty();
    assertThat(fake.store.services()).isEmpty();
  }

  @Test
  void refreshObservesRunningServicesAndKeepsHowAFailedOneEnded() {
    ServersModule servers = servers();
    String session = fake.store.newSession("r.yaml", FakeServers.NOW);
    String id = servers.startService(FakeServers.sleeper("sleeper"), session, "r.yaml", false);

    assertThat(servers.refresh()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(JobState.RUNNING));

    fake.scheduler.states.put(id, new JobStatus(JobState.FAILED, "exited with code 3", Optional.of(3), List.of("cn1"),
        Optional.empty(), List.of("error: out of memory")));
    ServiceStatus failed = servers.checkServiceStatus(id);

    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    ServiceRecord row = fake.store.service(id).orElseThrow();
    assertThat(row.reason()).isEqualTo("exited with code 3");
    assertThat(row.exitCode()).contains(3);
    assertThat(row.node()).isEqualTo("cn1");
    assertThat(row.endedAt()).contains(FakeServers.NOW);
    // Once final it is no longer polled, but shows its reason and the log lines the poll read (kept in state).
    int polls = fake.scheduler.polled.size();
    ServiceStatus again = servers.checkServiceStatus(id);
    assertThat(fake.scheduler.polled).hasSize(polls);
    assertThat(again.job().reason()).isEqualTo("exited with code 3");
    assertThat(again.job().logTail()).containsExactly("error: out of memory");
    assertThat(fake.scheduler.calls).noneMatch(c -> c.startsWith("logTail"));
  }

  @Test
  void stopCancelsTheJobOnceAndRecordsItCancelled() {
    ServersModule servers = servers();
    String session = fake.store.newSession("r.yaml", FakeServers.NOW);
    String id = servers.startService(FakeServers.sleeper("sleeper"), session, "r.yaml", false);

    assertThat(servers.stopService(id)).isTrue();
    assertThat(servers.stopService(id)).isFalse();

    assertThat(fake.scheduler.cancelled).extracting(SubmittedJob::serviceId).containsExactly(id);
    ServiceRecord row = fake.store.service(id).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.CANCELLED);
    assertThat(row.endedAt()).contains(FakeServers.NOW);
    assertThat(servers.listRunningServices()).isEmpty();
  }

  @Test
  void aJobStateDoesNotKnowIsAdoptedAsDiscoveredAndStoppedByStopAll() {
    ServersModule servers = servers();
    fake.scheduler.discoverable.add(new SubmittedJob("sleeper_0123abcd", "77", fake.scheduler.folderOf("sleeper_0123abcd")));

    assertThat(servers.listRunningServices()).singleElement().satisfies(s -> {
      assertThat(s.serviceId()).isEqualTo("sleeper_0123abcd");
      assertThat(s.record().sessionId()).isEqualTo("discovered");
      assertThat(s.record().jobId()).isEqualTo("77");
    });
    assertThat(servers.stopAllServices()).containsExactly("sleeper_0123abcd");
    assertThat(fake.scheduler.cancelled).extracting(SubmittedJob::jobId).containsExactly("77");
  }

  @Test
  void stopAllPollsOnceForAllItsServices() {
    ServersModule servers = servers();
    String session = fake.store.newSession("r.yaml", FakeServers.NOW);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(servers.startService(FakeServers.sleeper("sleeper"), session, "r.yaml", false));
    }
    fake.scheduler.calls.clear();

    assertThat(servers.stopAllServices()).containsExactlyInAnyOrderElementsOf(ids);

    assertThat(fake.scheduler.calls.stream().filter(c -> c.startsWith("poll"))).hasSize(1);
    assertThat(fake.scheduler.cancelled).extracting(SubmittedJob::serviceId).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(servers.listRunningServices()).isEmpty();
  }
}
