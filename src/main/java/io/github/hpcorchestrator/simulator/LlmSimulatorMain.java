package io.github.hpcorchestrator.simulator;

import io.github.hpcorchestrator.exporter.ListenAddress;
import io.github.hpcorchestrator.recipe.SimulatorSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code LlmSimulatorMain --listen=HOST:PORT [--ttft=200ms] [--tpot=20ms] [--output-tokens=64]
 * [--error-rate=0] [--cut-rate=0] [--seed=1]}: runs the {@link LlmSimulator} until killed.
 */
public final class LlmSimulatorMain {
  static final String USAGE = """
      usage: java -cp hpc-orchestrator.jar io.github.hpcorchestrator.simulator.LlmSimulatorMain \\
               --listen=HOST:PORT [--ttft=200ms] [--tpot=20ms] [--output-tokens=64]
               [--error-rate=0] [--cut-rate=0] [--seed=1]
        durations are whole ns, us, ms or s (200ms, 0, 1s); rates are fractions 0..1""";
  private static final List<String> OPTIONS =
      List.of("--listen", "--ttft", "--tpot", "--output-tokens", "--error-rate", "--cut-rate", "--seed");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,15})(ns|us|ms|s)?");

  private LlmSimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
    // Serves until the process is stopped.
    new CountDownLatch(1).await();
  }

  /** Starts the simulator for {@code args}; 0 when it serves, 2 for bad arguments, 1 when it cannot listen. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      Map<String, String> given = parse(args);
      ListenAddress listen = ListenAddress.parse(required(given, "--listen"));
      SimulatorSpec d = SimulatorSpec.DEFAULTS;
      SimulatorSpec spec = new SimulatorSpec(duration(given, "--ttft", d.ttft()), duration(given, "--tpot", d.tpot()),
          (int) number(given, "--output-tokens", d.outputTokens(), 1, SimulatorSpec.MAX_OUTPUT_TOKENS),
          rate(given, "--error-rate", d.errorRate()), rate(given, "--cut-rate", d.cutRate()),
          number(given, "--seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE));
      LlmSimulator simulator = LlmSimulator.start(new InetSocketAddress(listen.host(), listen.port()), spec);
      out.println("llm_simulator listening on " + listen.host() + ":" + simulator.port() + " (ttft "
          + spec.ttft().toMillis() + "ms, tpot " + spec.tpot().toMillis() + "ms, output_tokens "
          + spec.outputTokens() + ", error_rate " + spec.errorRate() + ", cut_rate " + spec.cutRate() + ")");
      return 0;
    } catch (io.github.hpcorchestrator.InputException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("error: cannot listen: " + e.getMessage());
      return 1;
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (!OPTIONS.contains(name) || eq < 0) {
        throw new IllegalArgumentException("unknown or valueless option " + quote(arg) + "; expected --NAME=VALUE");
      }
      if (given.put(name, arg.substring(eq + 1)) != null) {
        throw new IllegalArgumentException(name + " given twice");
      }
    }
    return given;
  }

  private static String required(Map<String, String> given, String name) {
    String value = given.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static Duration duration(Map<String, String> given, String name, Duration fallback) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(name + ": expected a duration of 0 or more like 200ms, found " + quote(text));
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ns" -> Duration.ofNanos(amount);
      case "us" -> Duration.ofNanos(amount * 1000);
      case "ms" -> Duration.ofMillis(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  private static long number(Map<String, String> given, String name, long fallback, long min, long max) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the range.
    }
    throw new IllegalArgumentException(name + ": expected a whole number from " + min + " to " + max + ", found "
        + quote(text));
  }

  private static double rate(Map<String, String> given, String name, double fallback) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text);
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(name + ": expected a fraction from 0 to 1, found " + quote(text));
  }

  private static String quote(String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
