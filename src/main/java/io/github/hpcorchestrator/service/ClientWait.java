package io.github.hpcorchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.cluster.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Waits for a benchmark client to end by itself: polls its job's state and progress.json about once a
 * second, hands each new progress sentence to a callback, fetches its results into metrics/<client_id>/
 * once the job is final, and says how it ended. There is no deadline: a client's load bounds its run.
 */
public final class ClientWait {
  /** How often the job and its progress are polled. */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  private static final long MAX_LOCAL_BYTES = 16L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a client ended. */
  public enum Outcome {
    /** Its whole load was sent, with errors within max_error_rate. */
    COMPLETED(0),
    /** Its load was done but more requests failed than max_error_rate allows. */
    OVER_ERROR_RATE(1),
    /** Stopped (--stop-service, cancelled) before its load was done; what it measured is kept, partial. */
    STOPPED_PARTIAL(1),
    /** Its job failed or vanished without a usable summary. */
    FAILED(1);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The CLI's exit code for it: 0 only when completed. */
    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * A client's end.
   *
   * @param clientId the client's service ID
   * @param outcome how it ended
   * @param jobState the scheduler's final state of its job
   * @param summary its summary.json when it wrote one
   * @param skipped result files too large to copy, with where they stay
   */
  public record Result(String clientId, Outcome outcome, JobState jobState, Optional<JsonNode> summary,
      List<String> skipped) {}

  /** Waits between polls; tests pass one that advances their own clock. */
  @FunctionalInterface
  public interface Pause {
    /** Returns after about {@code interval}, or throws when the waiting thread is interrupted. */
    void pause(Duration interval) throws InterruptedException;
  }

  private final Function<String, ServiceStatus> status;
  private final ClientResults results;
  private final Pause pause;

  /**
   * @param status the client's status now by its ID (e.g. {@code servers::checkServiceStatus})
   * @param results where its results are read from and fetched to
   */
  public ClientWait(Function<String, ServiceStatus> status, ClientResults results, Pause pause) {
    this.status = status;
    this.results = results;
    this.pause = pause;
  }

  /** A wait whose polls are {@link #POLL_INTERVAL} apart on the real clock. */
  public ClientWait(Function<String, ServiceStatus> status, ClientResults results) {
    this(status, results, interval -> Thread.sleep(interval.toMillis()));
  }

  /**
   * Blocks until {@code typedId}'s job is final, sending each changed progress sentence to {@code progress},
   * then fetches its results and returns how it ended.
   *
   * @throws InterruptedException when the waiting thread is interrupted (the client keeps running)
   */
  public Result await(String typedId, Consumer<String> progress) throws InterruptedException {
    ServiceStatus now = status.apply(typedId);
    String last = null;
    while (!now.state().isFinal()) {
      Optional<String> words = results.progress(now.record());
      if (words.isPresent() && !words.get().equals(last)) {
        last = words.get();
        progress.accept(last);
      }
      pause.pause(POLL_INTERVAL);
      now = status.apply(now.serviceId());
    }
    List<String> skipped = results.fetch(now.record());
    Path folder = results.folder(now.serviceId());
    Optional<JsonNode> summary = readLocal(folder.resolve("summary.json"));
    Optional<String> finalState = readLocal(folder.resolve("progress.json")).map(p -> p.path("state").asText(""));
    Optional<String> lastWords = finalState.flatMap(s -> ClientResults.words(progressBytes(folder)));
    if (lastWords.isPresent() && !lastWords.get().equals(last)) {
      progress.accept(lastWords.get()); // its final count, which the last poll may have missed
    }
    Outcome outcome = outcome(now.state(), finalState, summary.map(s -> s.path("partial").asBoolean(false)));
    return new Result(now.serviceId(), outcome, now.state(), summary, skipped);
  }

  /**
   * How a client ended, from its job's final state, the state its last progress.json gave (running,
   * completed, failed, stopped) and whether its summary, if any, is partial.
   */
  static Outcome outcome(JobState job, Optional<String> progressState, Optional<Boolean> partial) {
    String state = progressState.orElse("");
    if (partial.isEmpty()) {
      return Outcome.FAILED; // no summary: nothing measured to keep
    }
    if (state.equals("failed")) {
      return Outcome.OVER_ERROR_RATE; // the client itself judged its errors over max_error_rate
    }
    if (job == JobState.COMPLETED && state.equals("completed") && !partial.get()) {
      return Outcome.COMPLETED;
    }
    if (partial.get() || state.equals("stopped") || job == JobState.CANCELLED) {
      return Outcome.STOPPED_PARTIAL;
    }
    return Outcome.FAILED;
  }

  private static byte[] progressBytes(Path folder) {
    try {
      return Files.readAllBytes(folder.resolve("progress.json"));
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** A fetched JSON file, if it is there, small and whole. */
  private static Optional<JsonNode> readLocal(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_LOCAL_BYTES) {
        return Optional.empty();
      }
      JsonNode node = JSON.readTree(file.toFile());
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // cut off when the client died mid-write: treated as not written
    }
  }
}
