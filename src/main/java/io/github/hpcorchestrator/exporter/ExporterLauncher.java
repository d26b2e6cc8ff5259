package io.github.hpcorchestrator.exporter;

import io.github.hpcorchestrator.OrchestratorException;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * What every exporter's {@code main} does: parse the options, build the collector, serve it until
 * the process is stopped. Exit codes as in the CLI: 0 ok (--help), 1 runtime failure (address in
 * use), 2 usage error.
 */
public final class ExporterLauncher {

  private final String usage;
  private final Set<String> valueOptions;
  private final Set<String> flagOptions;
  private final Function<ExporterOptions, MultiCollector> collector;

  /**
   * @param usage printed for --help and after a usage error
   * @param valueOptions the exporter's own options that take a value
   * @param flagOptions the exporter's own options without value
   * @param collector builds the collector from the parsed options; may throw
   *     {@link io.github.hpcorchestrator.InputException} for a bad value
   */
  public ExporterLauncher(String usage, Set<String> valueOptions, Set<String> flagOptions,
      Function<ExporterOptions, MultiCollector> collector) {
    this.usage = usage;
    this.valueOptions = Set.copyOf(valueOptions);
    this.flagOptions = Set.copyOf(flagOptions);
    this.collector = collector;
  }

  /**
   * Parses {@code args} and starts the exporter; the caller closes it.
   *
   * @throws io.github.hpcorchestrator.InputException for bad arguments
   * @throws IOException if the listen address cannot be bound
   */
  public RunningExporter start(String... args) throws IOException {
    ExporterOptions options = ExporterOptions.parse(valueOptions, flagOptions, args);
    ListenAddress listen = options.listen();
    return RunningExporter.start(listen, collector.apply(options), options.flag(ExporterOptions.JVM_METRICS));
  }

  /** Runs {@code main}: serves until the JVM is stopped; calls {@link System#exit} on failure. */
  public void main(String... args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, new CountDownLatch(1), args);
    System.exit(code);
  }

  /**
   * Parses, starts, prints where it listens and waits until {@code stop} is released (main never
   * releases it; the JVM's shutdown hook closes the server).
   *
   * @return the exit code
   */
  int run(PrintWriter out, PrintWriter err, CountDownLatch stop, String... args) {
    if (Arrays.asList(args).contains(ExporterOptions.HELP)) {
      out.println(usage);
      return 0;
    }
    RunningExporter exporter;
    try {
      exporter = start(args);
    } catch (OrchestratorException e) {
      err.println("error: " + e.getMessage());
      if (e.exitCode() == 2) {
        err.println(usage);
      }
      return e.exitCode();
    } catch (IOException e) {
      err.println("error: cannot listen: " + e);
      return 1;
    }
    Thread hook = new Thread(exporter::close, "exporter-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("serving " + exporter.metricsUri());
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    exporter.close();
    return 0;
  }
}
