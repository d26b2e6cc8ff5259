package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client run measured, as written to {@code summary.json}: one entry per stage, latencies in
 * seconds, rates per second over the stage's window (first send to last end).
 *
 * @param clientId the client's ID
 * @param partial true when the run was stopped or failed before its load was done
 * @param startedAt wall-clock time of the run's start (epoch seconds); every time in requests.jsonl
 *     counts from it on a monotonic clock
 * @param stages {@code measured}, then {@code warmup} where there was one
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ClientSummary(
    @JsonProperty("client_id") String clientId,
    @JsonProperty("partial") boolean partial,
    @JsonProperty("started_at") double startedAt,
    @JsonProperty("stages") List<Stage> stages) {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
      .enable(SerializationFeature.INDENT_OUTPUT).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * A latency distribution in seconds, read from an HdrHistogram (3 significant digits).
   */
  public record Latency(
      @JsonProperty("count") long count,
      @JsonProperty("mean") double mean,
      @JsonProperty("p50") double p50,
      @JsonProperty("p90") double p90,
      @JsonProperty("p95") double p95,
      @JsonProperty("p99") double p99,
      @JsonProperty("p999") double p999,
      @JsonProperty("max") double max) {
  }

  /**
   * One stage's figures.
   *
   * @param name {@code measured} or {@code warmup}
   * @param requests requests that ended in this stage, failed ones included
   * @param errors failed requests by kind
   * @param ttft first content chunk minus send
   * @param tpot (E2E minus TTFT) / (output tokens minus 1), only for requests with server token counts above 1
   * @param itl each gap between successive content chunks
   * @param e2e last content chunk minus send
   * @param queueDelay send minus planned send (open loop only)
   * @param ttftFromPlanned first content chunk minus planned send (open loop only)
   * @param e2eFromPlanned last content chunk minus planned send (open loop only)
   * @param requestRate successful requests per second over the window
   * @param outputTokenRate server-counted output tokens per second over the window
   * @param totalTokenRate server-counted input plus output tokens per second over the window
   * @param windowSeconds first send to last end of the stage
   * @param inputTokens server-counted input tokens of successful requests
   * @param outputTokens server-counted output tokens of successful requests
   * @param tokenSource {@code server} when every successful request had counts, {@code none} when none had,
   *     {@code mixed} otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  public record Stage(
      @JsonProperty("name") String name,
      @JsonProperty("requests") long requests,
      @JsonProperty("errors") Map<String, Long> errors,
      @JsonProperty("ttft") Latency ttft,
      @JsonProperty("tpot") Latency tpot,
      @JsonProperty("itl") Latency itl,
      @JsonProperty("e2e") Latency e2e,
      @JsonProperty("queue_delay") Optional<Latency> queueDelay,
      @JsonProperty("ttft_from_planned") Optional<Latency> ttftFromPlanned,
      @JsonProperty("e2e_from_planned") Optional<Latency> e2eFromPlanned,
      @JsonProperty("request_rate") double requestRate,
      @JsonProperty("output_token_rate") double outputTokenRate,
      @JsonProperty("total_token_rate") double totalTokenRate,
      @JsonProperty("window_seconds") double windowSeconds,
      @JsonProperty("input_tokens") long inputTokens,
      @JsonProperty("output_tokens") long outputTokens,
      @JsonProperty("token_source") String tokenSource) {

    /** Failed requests of all kinds. */
    public long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The stage called {@code name}, if the run had one. */
  public Optional<Stage> stage(String name) {
    return stages.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The summary as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a summary from JSON text. */
  public static ClientSummary fromJson(String text) throws IOException {
    return JSON.readValue(text, ClientSummary.class);
  }

  /** The summary as CSV: one row per stage and latency, then one row per stage and rate. */
  public String toCsv() {
    StringBuilder out = new StringBuilder("stage,metric,count,mean,p50,p90,p95,p99,p999,max\n");
    for (Stage s : stages) {
      row(out, s.name(), "ttft", s.ttft());
      row(out, s.name(), "tpot", s.tpot());
      row(out, s.name(), "itl", s.itl());
      row(out, s.name(), "e2e", s.e2e());
      s.queueDelay().ifPresent(l -> row(out, s.name(), "queue_delay", l));
      s.ttftFromPlanned().ifPresent(l -> row(out, s.name(), "ttft_from_planned", l));
      s.e2eFromPlanned().ifPresent(l -> row(out, s.name(), "e2e_from_planned", l));
    }
    out.append("\nstage,requests,errors,request_rate,output_token_rate,total_token_rate,window_seconds\n");
    for (Stage s : stages) {
      out.append(s.name()).append(',').append(s.requests()).append(',').append(s.errorCount()).append(',')
          .append(s.requestRate()).append(',').append(s.outputTokenRate()).append(',')
          .append(s.totalTokenRate()).append(',').append(s.windowSeconds()).append('\n');
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String stage, String metric, Latency l) {
    out.append(stage).append(',').append(metric).append(',').append(l.count()).append(',').append(l.mean())
        .append(',').append(l.p50()).append(',').append(l.p90()).append(',').append(l.p95()).append(',')
        .append(l.p99()).append(',').append(l.p999()).append(',').append(l.max()).append('\n');
  }
}
