package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A running client's state as written to {@code progress.json} at least once a second.
 *
 * @param state {@code running}, {@code completed}, {@code failed} or {@code stopped}
 * @param planned requests the run will send, -1 where its end is a duration of a closed loop
 * @param done requests ended so far, warmup included
 * @param errors failed requests so far, warmup included
 * @param currentRate requests ended per second over the last few seconds
 * @param p50Ttft median TTFT so far in seconds, -1 before the first
 * @param startedAt wall-clock time of the run's start (epoch seconds)
 */
public record ClientProgress(
    @JsonProperty("state") String state,
    @JsonProperty("planned") long planned,
    @JsonProperty("done") long done,
    @JsonProperty("errors") long errors,
    @JsonProperty("current_rate") double currentRate,
    @JsonProperty("p50_ttft") double p50Ttft,
    @JsonProperty("started_at") double startedAt) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The progress as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads progress from JSON text. */
  public static ClientProgress fromJson(String text) throws IOException {
    return JSON.readValue(text, ClientProgress.class);
  }
}
