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
 * Everything one benchmark client job does, resolved before it is submitted and written as
 * {@code client.json} into the client's folder; {@code ClientMain --plan client.json --out DIR} runs it.
 *
 * <p>The orchestrator builds it from a recipe's {@code client:} (target resolved to a real URL,
 * prompts file named relative to the job's folder); the client job reads it and never sees the recipe.
 *
 * @param clientId the client's own ID, {@code <name>_<8 hex>}
 * @param target where the load goes
 * @param workload what one request is
 * @param prompts what the requests carry
 * @param load how many requests, how fast, and what is left out as warmup
 * @param maxErrorRate fraction of measured requests that may fail before the run counts as failed (0..1)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ClientPlan(
    @JsonProperty("client_id") String clientId,
    @JsonProperty("target") Target target,
    @JsonProperty("workload") Workload workload,
    @JsonProperty("prompts") Prompts prompts,
    @JsonProperty("load") Load load,
    @JsonProperty("max_error_rate") double maxErrorRate) {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
      .enable(SerializationFeature.INDENT_OUTPUT).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The server a client sends to.
   *
   * @param url base URL, scheme, host and port, no path ({@code http://node3:11434})
   * @param serviceId the service it was resolved from, empty for a plain {@code url} target
   * @param username basic-auth user name, empty for none
   * @param passwordFile file (relative to the job's folder, or absolute) holding the basic-auth password
   * @param caFile PEM file of the only certificates trusted for the server (pinned: host names are not checked),
   *     empty to use the JVM's trust store
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  public record Target(
      @JsonProperty("url") String url,
      @JsonProperty("service_id") Optional<String> serviceId,
      @JsonProperty("username") Optional<String> username,
      @JsonProperty("password_file") Optional<String> passwordFile,
      @JsonProperty("ca_file") Optional<String> caFile) {
  }

  /**
   * One request's shape.
   *
   * @param type {@code http}, {@code ollama} or {@code openai}
   * @param method HTTP method (http workloads; GET when empty)
   * @param path request path: for http as given; for ollama {@code /api/generate} or {@code /api/chat};
   *     for openai {@code /v1/completions} or {@code /v1/chat/completions}
   * @param headers extra request headers, in recipe order
   * @param body request body (http workloads); the prompt replaces {@code {{prompt}}} in it
   * @param model model name (ollama, openai)
   * @param maxTokens output token cap per request (ollama {@code num_predict}, openai {@code max_tokens}); a
   *     synthetic prompt's drawn output length replaces it per request
   * @param temperature sampling temperature, empty for the server's default
   * @param timeoutSeconds total time one request may take, from send to its last byte
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  public record Workload(
      @JsonProperty("type") String type,
      @JsonProperty("method") Optional<String> method,
      @JsonProperty("path") String path,
      @JsonProperty("headers") Map<String, String> headers,
      @JsonProperty("body") Optional<String> body,
      @JsonProperty("model") Optional<String> model,
      @JsonProperty("max_tokens") Optional<Integer> maxTokens,
      @JsonProperty("temperature") Optional<Double> temperature,
      @JsonProperty("timeout_seconds") double timeoutSeconds) {
  }

  /**
   * Where the prompts come from: exactly one of the three is set.
   *
   * @param inline prompts written in the recipe, used in turn
   * @param file a JSONL file (relative to the job's folder), one object per line with a {@code prompt}
   *     string (and optional {@code max_tokens}), used in turn
   * @param synthetic prompts made up of words to a drawn input length, with a drawn output length
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  public record Prompts(
      @JsonProperty("inline") Optional<List<String>> inline,
      @JsonProperty("file") Optional<String> file,
      @JsonProperty("synthetic") Optional<Synthetic> synthetic) {
  }

  /**
   * Synthetic prompts: input length in words, output length in tokens, both drawn from a normal
   * distribution clipped to [min, max], reproducible from the seed.
   */
  public record Synthetic(
      @JsonProperty("input") Lengths input,
      @JsonProperty("output") Lengths output,
      @JsonProperty("seed") long seed) {
  }

  /** A clipped normal distribution of lengths. */
  public record Lengths(
      @JsonProperty("mean") double mean,
      @JsonProperty("stddev") double stddev,
      @JsonProperty("min") int min,
      @JsonProperty("max") int max) {
  }

  /**
   * How the load is sent: closed loop ({@code concurrency}) or open loop ({@code rate}), exactly one set;
   * it ends after {@code requests} (counting warmup) or after {@code durationSeconds} (counting warmup),
   * exactly one set.
   *
   * @param concurrency closed loop: this many requests in flight, each sent when one ends
   * @param rate open loop: requests per second, send times planned in advance
   * @param arrivals open loop: {@code poisson} or {@code constant} gaps
   * @param maxInFlight open loop: cap on requests in flight; a planned send waits (its queue delay grows)
   * @param requests total requests, warmup included
   * @param durationSeconds total time, warmup included
   * @param warmupRequests the first this many requests are left out of results
   * @param warmupSeconds requests sent in the first this many seconds are left out of results
   * @param seed seed of the Poisson arrivals and prompt order
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  public record Load(
      @JsonProperty("concurrency") Optional<Integer> concurrency,
      @JsonProperty("rate") Optional<Double> rate,
      @JsonProperty("arrivals") Optional<String> arrivals,
      @JsonProperty("max_in_flight") Optional<Integer> maxInFlight,
      @JsonProperty("requests") Optional<Integer> requests,
      @JsonProperty("duration_seconds") Optional<Double> durationSeconds,
      @JsonProperty("warmup_requests") Optional<Integer> warmupRequests,
      @JsonProperty("warmup_seconds") Optional<Double> warmupSeconds,
      @JsonProperty("seed") long seed) {
  }

  /** The plan as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a plan from JSON text. */
  public static ClientPlan fromJson(String text) throws IOException {
    return JSON.readValue(text, ClientPlan.class);
  }
}
