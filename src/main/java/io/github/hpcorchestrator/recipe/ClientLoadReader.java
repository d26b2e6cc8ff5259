package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.client.ClientPlan;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a client's {@code load:}: closed loop ({@code concurrency}) or open loop ({@code rate},
 * {@code arrivals}, {@code max_in_flight}), ended by {@code requests} or {@code duration}, with an optional
 * {@code warmup} (a count of requests, or a duration such as 10s).
 */
final class ClientLoadReader {
  /** Bounds that keep one client process within what it can plan and hold in memory. */
  static final int MAX_CONCURRENCY = 10_000;
  static final double MAX_RATE = 100_000;
  static final int MAX_REQUESTS = 100_000_000;
  private static final Pattern NUMBER = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern WHOLE = Pattern.compile("[0-9]+");

  private ClientLoadReader() {
  }

  static ClientPlan.Load read(YamlValue value) {
    YamlMapping map = value.asMapping();
    Optional<YamlValue> concurrencyValue = map.get("concurrency");
    Optional<YamlValue> rateValue = map.get("rate");
    Optional<YamlValue> arrivalsValue = map.get("arrivals");
    Optional<YamlValue> inFlightValue = map.get("max_in_flight");
    Optional<YamlValue> requestsValue = map.get("requests");
    Optional<YamlValue> durationValue = map.get("duration");
    Optional<YamlValue> warmupValue = map.get("warmup");
    long seed = map.get("seed").map(YamlValue::asInt).orElse(0);
    map.rejectUnknownKeys();
    if (concurrencyValue.isPresent() && rateValue.isPresent()) {
      throw rateValue.get().error("rate (open loop) and concurrency (closed loop) are exclusive: use one");
    }
    if (concurrencyValue.isEmpty() && rateValue.isEmpty()) {
      throw value.error("a load needs concurrency: N (closed loop) or rate: R per second (open loop)");
    }
    Optional<Integer> concurrency = concurrencyValue.map(v -> whole(v, MAX_CONCURRENCY, "a concurrency"));
    Optional<Double> rate = rateValue.map(v -> positive(v, MAX_RATE, "a rate in requests per second"));
    for (Optional<YamlValue> openOnly : List.of(arrivalsValue, inFlightValue)) {
      if (openOnly.isPresent() && rate.isEmpty()) {
        throw openOnly.get().error("only allowed with rate (open loop)");
      }
    }
    Optional<String> arrivals = rate.map(r -> arrivalsValue.map(v -> v.asChoice(List.of("poisson", "constant")))
        .orElse("poisson"));
    Optional<Integer> maxInFlight = inFlightValue.map(v -> whole(v, MAX_CONCURRENCY, "a max_in_flight"));
    if (requestsValue.isPresent() == durationValue.isPresent()) {
      throw value.error("a load ends after requests: N or duration: D, exactly one");
    }
    Optional<Integer> requests = requestsValue.map(v -> whole(v, MAX_REQUESTS, "a request count"));
    Optional<Double> duration = durationValue.map(v -> v.asDuration().toMillis() / 1000.0);
    Optional<Integer> warmupRequests = Optional.empty();
    Optional<Double> warmupSeconds = Optional.empty();
    if (warmupValue.isPresent()) {
      YamlValue w = warmupValue.get();
      if (w.isScalar() && WHOLE.matcher(w.asString().trim()).matches()) {
        int n = w.asInt();
        if (requests.isPresent() && n >= requests.get()) {
          throw w.error("a warmup of " + n + " requests leaves none of the " + requests.get() + " measured");
        }
        warmupRequests = Optional.of(n);
      } else {
        double seconds = w.asDuration().toMillis() / 1000.0;
        if (duration.isPresent() && seconds >= duration.get()) {
          throw w.error("a warmup of " + seconds + "s leaves nothing of the " + duration.get() + "s measured");
        }
        warmupSeconds = Optional.of(seconds);
      }
    }
    return new ClientPlan.Load(concurrency, rate, arrivals, maxInFlight, requests, duration, warmupRequests,
        warmupSeconds, seed);
  }

  private static int whole(YamlValue v, int max, String what) {
    double n = positive(v, max, what);
    if (n != Math.rint(n)) {
      throw v.expected(what + " (a whole number from 1 to " + max + ")");
    }
    return (int) n;
  }

  private static double positive(YamlValue v, double max, String what) {
    double n = number(v, -Double.MAX_VALUE, Double.MAX_VALUE, what);
    if (n <= 0 || n > max) {
      throw v.expected(what + " greater than zero and at most " + (long) max);
    }
    return n;
  }

  /** A plain decimal number within [min, max] (quoted or not); no NaN, no infinity. */
  static double number(YamlValue v, double min, double max, String what) {
    String text = v.asString().trim();
    if (!NUMBER.matcher(text).matches()) {
      throw v.expected(what);
    }
    double n = Double.parseDouble(text);
    if (n < min || n > max) {
      throw v.expected(what);
    }
    return n;
  }
}
