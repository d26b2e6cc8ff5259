package io.github.hpcorchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmitRefusedException;
import io.github.hpcorchestrator.config.Limits;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.service.FakeServers;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.transport.LocalShell;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session API over the fake scheduler: every service planned once, started in order, stopped. */
class BenchmarkOrchestratorTest {
  @TempDir Path dir;
  private FakeServers fake;
  private BenchmarkOrchestrator api;

  @AfterEach
  void close() {
    if (api != null) {
      api.close();
    }
  }

  private BenchmarkOrchestrator api() {
    fake = new FakeServers(dir.resolve("state"), "local");
    OrchestratorConfig config = new OrchestratorConfig(Optional.empty(), OrchestratorConfig.Backend.LOCAL,
        dir.resolve("state"), dir.resolve("recipes"), dir.resolve("metrics"), Optional.empty(), SlurmDefaults.none(),
        "$HOME/.orchestrator", Limits.defaults());
    api = new BenchmarkOrchestrator(config, new LocalShell(), fake.scheduler, fake.store, fake.servers);
    return api;
  }

  private static Recipe recipe(ServiceSpec... services) {
    return new Recipe(Path.of("session.yaml"), List.of(services));
  }

  @Test
  void aSessionPlansEachServiceOnceAndSubmitsThatPlan() {
    BenchmarkOrchestrator api = api();

    SessionStart start = api.startBenchmarkSession(recipe(FakeServers.sleeper("counted"),
        FakeServers.sleeper("counted")), false);

    assertThat(start.sessionId()).isEqualTo("session_1");
    assertThat(start.serviceIds()).hasSize(2).doesNotHaveDuplicates();
    // Each service ID drawn in planning is the one started, planned exactly once.
    assertThat(fake.kind.plans).containsOnlyKeys(start.serviceIds()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    assertThat(fake.scheduler.submitted).extracting(j -> j.serviceId()).containsExactlyElementsOf(start.serviceIds());
    assertThat(fake.scheduler.calls.stream().filter(c -> c.startsWith("render"))).hasSize(2);
    assertThat(fake.scheduler.submitted).allSatisfy(j -> assertThat(j.files()).containsEntry("session", "session_1\n"));
  }

  @Test
  void monitorsAreSubmittedFirst() {
    BenchmarkOrchestrator api = api();

    SessionStart start = api.startBenchmarkSession(recipe(FakeServers.sleeper("sleeper"),
        FakeServers.sleeper("prometheus")), false);

    assertThat(fake.scheduler.submitted).extracting(j -> j.serviceId().replaceAll("_.*", ""))
        .containsExactly("prometheus", "sleeper");
    assertThat(start.serviceIds().get(0)).startsWith("prometheus_");
  }

  @Test
  void aDryRunPlansEachServiceOnceAndStartsNothing() {
    BenchmarkOrchestrator api = api();
    Recipe recipe = recipe(FakeServers.sleeper("sleeper"), FakeServers.sleeper("counted"));

    String dry = api.dryRun(recipe);

    assertThat(dry).contains("#!/bin/bash");
    assertThat(fake.scheduler.submitted).isEmpty();
    assertThat(fake.store.services()).isEmpty();
    assertThat(fake.kind.planCount()).isEqualTo(1);
  }

  @Test
  void aSessionWhosePlanFailsStartsNothingAndLeavesNoSession() {
    BenchmarkOrchestrator api = api();
    ServiceSpec noCommand = new ServiceSpec("broken", "", Optional.empty(), List.of(), Optional.empty(),
        io.github.hpcorchestrator.recipe.ResourceSpec.none(), java.util.Map.of(), List.of(), Optional.empty(),
        List.of(), Optional.empty(), List.of(), Optional.empty(), List.of(), List.of());

    assertThatThrownBy(() -> api.startBenchmarkSession(recipe(FakeServers.sleeper("sleeper"), noCommand), false))
        .isInstanceOf(InputException.class).hasMessageContaining("has no command");

    assertThat(fake.scheduler.submitted).isEmpty();
    assertThat(fake.store.services()).isEmpty();
    assertThat(fake.store.sessionExists("session_1")).isFalse();
  }

  @Test
  void aStartWhoseSessionIdIsTakenWhileItPlansClaimsOneFirstAndNeverLosesAgain() {
    BenchmarkOrchestrator api = api();
    // Every plan sees another start open a session meanwhile: heavy contention, as 8 parallel starts.
    fake.kind.onPlan = () -> fake.store.newSession("other.yaml", FakeServers.NOW);

    SessionStart start = api.startBenchmarkSession(recipe(FakeServers.sleeper("counted")), false);

    // session_1 went to the first concurrent start; this one then claimed session_2 before planning again.
    assertThat(start.sessionId()).isEqualTo("session_2");
    assertThat(fake.scheduler.submitted).singleElement()
        .satisfies(j -> assertThat(j.files()).containsEntry("session", "session_2\n"));
    assertThat(fake.kind.planCount()).isEqualTo(2);
  }

  @Test
  void aClaimedSessionWhosePlanThenFailsIsGivenBack() {
    BenchmarkOrchestrator api = api();
    int[] plans = {0};
    fake.kind.onPlan = () -> {
      if (plans[0]++ == 0) {
        fake.store.newSession("other.yaml", FakeServers.NOW);
      } else {
        throw new InputException("the image went away");
      }
    };

    assertThatThrownBy(() -> api.startBenchmarkSession(recipe(FakeServers.sleeper("counted")), false))
        .isInstanceOf(InputException.class).hasMessage("the image went away");

    assertThat(fake.store.sessionExists("session_1")).isTrue();
    assertThat(fake.store.sessionExists("session_2")).isFalse();
    assertThat(fake.scheduler.submitted).isEmpty();
  }

  @Test
  void aRefusedSubmitStopsTheSessionThereWithTheRowFailed() {
    BenchmarkOrchestrator api = api();
    fake.scheduler.failSubmitsWith(new SubmitRefusedException("sbatch refused sleeper: Invalid account"));

    assertThatThrownBy(() -> api.startBenchmarkSession(recipe(FakeServers.sleeper("sleeper"),
        FakeServers.sleeper("counted")), false)).isInstanceOf(SubmitRefusedException.class);

    assertThat(fake.store.services()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("sleeper");
      assertThat(r.state()).isEqualTo(JobState.FAILED);
    });
  }

  @Test
  void stopSessionStopsItsServicesAndEndsIt() {
    BenchmarkOrchestrator api = api();
    SessionStart start = api.startBenchmarkSession(recipe(FakeServers.sleeper("sleeper")), false);

    assertThat(api.stopSession(start.sessionId(), line -> { })).containsExactlyElementsOf(start.serviceIds());

    assertThat(api.getSystemStatus().services()).extracting(ServiceStatus::state).containsExactly(JobState.CANCELLED);
    assertThatThrownBy(() -> api.stopSession("session_9", line -> { })).isInstanceOf(InputException.class);
  }
}
