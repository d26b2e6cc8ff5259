package io.github.hpcorchestrator.recipe;

import java.time.Duration;

/**
 * The behaviour of an {@code llm_simulator} service as its recipe's {@code simulator:} sets it.
 *
 * @param ttft time from a request read to its first content chunk
 * @param tpot time between one output token's chunk and the next
 * @param outputTokens tokens in an answer whose request asks for no fewer
 * @param errorRate fraction (0..1) of generation requests answered with HTTP 500
 * @param cutRate fraction (0..1) of the other generation answers cut off after half their tokens
 * @param seed seed of the random draws behind errorRate and cutRate, so a run repeats
 */
public record SimulatorSpec(Duration ttft, Duration tpot, int outputTokens, double errorRate, double cutRate,
    long seed) {

  /** The settings of a recipe without {@code simulator:}. */
  public static final SimulatorSpec DEFAULTS =
      new SimulatorSpec(Duration.ofMillis(200), Duration.ofMillis(20), 64, 0, 0, 1);

  /** The largest output length a recipe may ask for; longer answers only test patience. */
  public static final int MAX_OUTPUT_TOKENS = 1_000_000;

  public SimulatorSpec {
    if (ttft.isNegative() || tpot.isNegative()) {
      throw new IllegalArgumentException("negative ttft or tpot");
    }
    if (outputTokens < 1 || outputTokens > MAX_OUTPUT_TOKENS) {
      throw new IllegalArgumentException("output_tokens out of range: " + outputTokens);
    }
    if (!(errorRate >= 0 && errorRate <= 1) || !(cutRate >= 0 && cutRate <= 1)) {
      throw new IllegalArgumentException("rate outside 0..1");
    }
  }
}
