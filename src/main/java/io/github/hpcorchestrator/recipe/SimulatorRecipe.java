package io.github.hpcorchestrator.recipe;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a recipe's {@code simulator:} mapping strictly; keys left out keep their defaults. */
final class SimulatorRecipe {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s)?");
  private static final Pattern RATE = Pattern.compile("[0-9]*\\.?[0-9]+");
  private static final Pattern SEED = Pattern.compile("-?[0-9]{1,18}");

  private SimulatorRecipe() {}

  /** The settings {@code value} (a mapping) holds. */
  static SimulatorSpec read(YamlValue value) {
    SimulatorSpec d = SimulatorSpec.DEFAULTS;
    YamlMapping map = value.asMapping();
    Duration ttft = map.get("ttft").map(SimulatorRecipe::duration).orElse(d.ttft());
    Duration tpot = map.get("tpot").map(SimulatorRecipe::duration).orElse(d.tpot());
    int outputTokens = map.get("output_tokens").map(SimulatorRecipe::outputTokens).orElse(d.outputTokens());
    double errorRate = map.get("error_rate").map(SimulatorRecipe::rate).orElse(d.errorRate());
    double cutRate = map.get("cut_rate").map(SimulatorRecipe::rate).orElse(d.cutRate());
    long seed = map.get("seed").map(v -> Long.parseLong(v.asMatching(SEED, "a whole number"))).orElse(d.seed());
    map.rejectUnknownKeys();
    return new SimulatorSpec(ttft, tpot, outputTokens, errorRate, cutRate, seed);
  }

  /** 0 or more milliseconds or seconds ("200ms", "1s", "0"); zero is allowed here, unlike timeouts. */
  private static Duration duration(YamlValue value) {
    String what = "a duration of 0 or more like 200ms or 1s";
    Matcher m = DURATION.matcher(value.asString().trim());
    if (!m.matches()) {
      throw value.expected(what);
    }
    long amount = Long.parseLong(m.group(1));
    return "ms".equals(m.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
  }

  private static int outputTokens(YamlValue value) {
    int tokens = value.asPositiveInt();
    if (tokens > SimulatorSpec.MAX_OUTPUT_TOKENS) {
      throw value.expected("at most " + SimulatorSpec.MAX_OUTPUT_TOKENS + " tokens");
    }
    return tokens;
  }

  private static double rate(YamlValue value) {
    String what = "a fraction from 0 to 1 like 0.05";
    double rate = Double.parseDouble(value.asMatching(RATE, what).trim());
    if (rate > 1) {
      throw value.expected(what);
    }
    return rate;
  }
}
