package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.transport.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** squeue against a controller that is down or restarting: bounded retries, then one clear error. */
class SlurmControllerRetryTest {
  private static final String DOWN =
      "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n";
  // The work folder (%Z) is the service's own under remote_dir: only such a row is ours.
  private static final String ROW =
      "42|RUNNING|None|node1|2024-01-01T10:00:00|prom_0123abcd|/o/services/prom_0123abcd\n";

  private final FakeShell shell = new FakeShell();
  private final List<String> progress = new ArrayList<>();
  private final SlurmScheduler slurm = new SlurmScheduler(shell, "/o", SlurmDefaults.none(),
      new MutableClock());

  private static SubmittedJob job() {
    return new SubmittedJob("prom_0123abcd", "42", "/o/services/prom_0123abcd");
  }

  @Test
  void aControllerThatComesBackDuringTheRetriesAnswersTheCall() {
    AtomicInteger calls = new AtomicInteger();
    shell.answers.put("squeue", argv -> calls.incrementAndGet() < 3
        ? new CommandResult(1, "", DOWN) : new CommandResult(0, ROW, ""));
    slurm.controllerRetry(Duration.ofSeconds(5), Duration.ofMillis(20));
    slurm.onControllerRetry(progress::add);

    assertThat(slurm.poll(List.of(job())).get("prom_0123abcd").state()).isEqualTo(JobState.RUNNING);
    assertThat(shell.count("squeue")).isEqualTo(3);
    assertThat(progress).hasSize(2).allSatisfy(line -> assertThat(line)
        .startsWith("squeue: the SLURM controller cannot be reached").contains("retrying in"));
  }

  @Test
  void aControllerStillDownAfterTheBoundIsOneClearError() {
    shell.answer("squeue", 1, "", DOWN);
    slurm.controllerRetry(Duration.ofMillis(300), Duration.ofMillis(50));
    slurm.onControllerRetry(progress::add);
    long start = System.nanoTime();

    assertThatThrownBy(() -> slurm.poll(List.of(job())))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("the SLURM controller cannot be reached (squeue tried ")
        .hasMessageContaining("Unable to contact slurm controller")
        .hasMessageNotContaining("\n");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMs).isBetween(250L, 5_000L);
    // pauses of 50, 100, 150 ms fill the 300 ms: 4 or 5 tries, never more
    assertThat(shell.count("squeue")).isBetween(3L, 5L);
    assertThat(progress).hasSize((int) shell.count("squeue") - 1);
  }

  @Test
  void otherSqueueFailuresAreNotRetried() {
    shell.answer("squeue", 1, "", "squeue: error: Invalid user: nobody\n");
    slurm.controllerRetry(Duration.ofSeconds(5), Duration.ofMillis(20));

    assertThatThrownBy(() -> slurm.poll(List.of(job())))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("squeue failed: squeue: error: Invalid user: nobody");
    assertThat(shell.count("squeue")).isEqualTo(1);
  }

  @Test
  void zeroTurnsRetriesOff() {
    shell.answer("squeue", 1, "", DOWN);
    slurm.controllerRetry(Duration.ZERO, Duration.ofMillis(20));

    assertThatThrownBy(() -> slurm.discover()).hasMessageContaining("squeue tried 1 time over 0 s");
    assertThat(shell.count("squeue")).isEqualTo(1);
  }
}
