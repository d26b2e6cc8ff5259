package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.service.ClientWait.Outcome;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wait over a real local shell and a job folder that a stand-in client writes between polls (each
 * pause is one step of the client, so no time passes): progress reported once per change, results
 * fetched at the end, and the outcome judged from the job and the client's own last state.
 */
class ClientWaitTest {
  private static final String ID = "chat_0123abcd";
  @TempDir Path dir;

  @Test
  void outcomesFollowTheJobAndTheClientsOwnVerdict() {
    assertThat(ClientWait.outcome(JobState.COMPLETED, Optional.of("completed"), Optional.of(false)))
        .isEqualTo(Outcome.COMPLETED);
    assertThat(ClientWait.outcome(JobState.FAILED, Optional.of("failed"), Optional.of(false)))
        .isEqualTo(Outcome.OVER_ERROR_RATE);
    assertThat(ClientWait.outcome(JobState.CANCELLED, Optional.of("stopped"), Optional.of(true)))
        .isEqualTo(Outcome.STOPPED_PARTIAL);
    assertThat(ClientWait.outcome(JobState.CANCELLED, Optional.of("running"), Optional.of(true)))
        .isEqualTo(Outcome.STOPPED_PARTIAL);
    assertThat(ClientWait.outcome(JobState.FAILED, Optional.empty(), Optional.empty())).isEqualTo(Outcome.FAILED);
    assertThat(ClientWait.outcome(JobState.COMPLETED, Optional.of("completed"), Optional.empty()))
        .isEqualTo(Outcome.FAILED);
    assertThat(Outcome.COMPLETED.exitCode()).isZero();
    assertThat(Outcome.OVER_ERROR_RATE.exitCode()).isEqualTo(1);
  }

  @Test
  void reportsEachChangeThenFetchesTheResults() throws Exception {
    Path job = dir.resolve("job");
    Path results = Files.createDirectories(job.resolve(ClientJobs.RESULTS_DIR));
    List<JobState> states = List.of(JobState.PENDING, JobState.RUNNING, JobState.RUNNING, JobState.RUNNING,
        JobState.COMPLETED);
    List<String> written = List.of(progress("running", 0), progress("running", 5), progress("running", 5),
        progress("completed", 10));
    AtomicInteger step = new AtomicInteger();
    ClientWait.Pause client = interval -> {
      int i = step.getAndIncrement();
      write(results.resolve("progress.json"), written.get(i));
      if (i == written.size() - 1) {
        write(results.resolve("summary.json"), "{\"client_id\": \"" + ID + "\", \"partial\": false, \"stages\": []}");
      }
    };
    ClientResults fetchTo = new ClientResults(new LocalShell(), dir.resolve("metrics"));
    ClientWait wait = new ClientWait(id -> status(job, states.get(step.get())), fetchTo, client);
    List<String> seen = new ArrayList<>();

    ClientWait.Result result = wait.await(ID, seen::add);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(result.summary()).isPresent();
    assertThat(seen).containsExactly("0/10 requests, 0.0/s, 0 errors (running)",
        "5/10 requests, 0.0/s, 0 errors (running)", "10/10 requests, 0.0/s, 0 errors (completed)");
    assertThat(dir.resolve("metrics").resolve(ID).resolve("summary.json")).isRegularFile();
  }

  @Test
  void aClientThatDiesBeforeMeasuringFailed() throws Exception {
    Path job = Files.createDirectories(dir.resolve("job"));
    ClientWait wait = new ClientWait(id -> status(job, JobState.FAILED),
        new ClientResults(new LocalShell(), dir.resolve("metrics")), interval -> {
          throw new AssertionError("a final job is not polled again");
        });

    ClientWait.Result result = wait.await(ID, p -> {
      throw new AssertionError("no progress: " + p);
    });

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.summary()).isEmpty();
  }

  private static String progress(String state, int done) {
    return "{\"state\": \"" + state + "\", \"planned\": 10, \"done\": " + done
        + ", \"errors\": 0, \"current_rate\": 0}";
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ServiceStatus status(Path job, JobState state) {
    ServiceRecord r = new ServiceRecord(ID, "chat", "session_1", "local", "4242", job.toString(), 0, state,
        "localhost", "127.0.0.1", 0, Optional.empty(), Instant.EPOCH, Optional.empty(), Optional.empty(), "r.yaml");
    return new ServiceStatus(r, JobStatus.of(state, ""), Optional.empty());
  }
}
