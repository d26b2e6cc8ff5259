package io.github.hpcorchestrator.exporter;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An exporter's command line, parsed by hand: {@code --name value}, {@code --name=value} and bare
 * flags. Each exporter declares the options it knows; anything else (a typo, a stray word) fails
 * with an {@link InputException} rather than being ignored. Immutable.
 */
public final class ExporterOptions {

  /** Where to listen, HOST:PORT; every exporter requires it. */
  public static final String LISTEN = "--listen";
  /** How long one scrape may wait for the target, as a Prometheus duration. */
  public static final String TIMEOUT = "--timeout";
  /** Also export the exporter's own JVM metrics. */
  public static final String JVM_METRICS = "--jvm-metrics";
  /** Print usage and exit 0. */
  public static final String HELP = "--help";

  private final Map<String, String> values;
  private final Set<String> flags;

  private ExporterOptions(Map<String, String> values, Set<String> flags) {
    this.values = values;
    this.flags = flags;
  }

  /**
   * Parses {@code args}.
   *
   * @param valueOptions the options that take a value, besides {@link #LISTEN} and {@link #TIMEOUT}
   * @param flagOptions the options without value, besides {@link #JVM_METRICS} and {@link #HELP}
   * @throws InputException for an unknown option, a missing value, a repeated option or a
   *     positional argument
   */
  public static ExporterOptions parse(Set<String> valueOptions, Set<String> flagOptions, String... args) {
    Set<String> knownValues = new HashSet<>(valueOptions);
    knownValues.add(LISTEN);
    knownValues.add(TIMEOUT);
    Set<String> knownFlags = new HashSet<>(flagOptions);
    knownFlags.add(JVM_METRICS);
    knownFlags.add(HELP);
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> flags = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String name = equals > 0 ? arg.substring(0, equals) : arg;
      if (knownFlags.contains(name)) {
        if (equals > 0) {
          throw new InputException(name + " takes no value");
        }
        flags.add(name);
      } else if (knownValues.contains(name)) {
        String value;
        if (equals > 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new InputException(name + " needs a value");
        }
        if (values.putIfAbsent(name, value) != null) {
          throw new InputException(name + " given twice");
        }
      } else if (arg.startsWith("-")) {
        throw new InputException("unknown option " + name);
      } else {
        throw new InputException("unexpected argument \"" + arg + "\"");
      }
    }
    return new ExporterOptions(values, flags);
  }

  /** The value of option {@code name}, if given. */
  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /**
   * The value of option {@code name}.
   *
   * @throws InputException if it was not given
   */
  public String require(String name) {
    return value(name).orElseThrow(() -> new InputException(name + " is required"));
  }

  /** Whether flag {@code name} was given. */
  public boolean flag(String name) {
    return flags.contains(name);
  }

  /** {@link #LISTEN}, parsed; required. */
  public ListenAddress listen() {
    return ListenAddress.parse(require(LISTEN));
  }

  /**
   * {@link #TIMEOUT}, parsed, or {@code fallback}.
   *
   * @throws InputException if it is not a Prometheus duration such as 2s or 500ms
   */
  public Duration timeout(Duration fallback) {
    Optional<String> text = value(TIMEOUT);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return PrometheusDuration.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new InputException(TIMEOUT + ": " + e.getMessage());
    }
  }
}
