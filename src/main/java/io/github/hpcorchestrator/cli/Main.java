package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.OrchestratorException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Command-line entry point. Maps every outcome to an exit code in one place: 0 ok, 1 runtime
 * failure, 2 usage or input error.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the CLI with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    OrchestratorCommand command = new OrchestratorCommand(out, err);
    CommandLine cli = new CommandLine(command);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      // Some picocli messages already start with "Error: "; print the prefix once.
      err.println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
      err.println("Try --help for usage.");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof OrchestratorException oe) {
        err.println("error: " + oe.getMessage());
        if (command.verbose() && oe.getCause() != null) {
          err.println("  caused by: " + oe.getCause());
        }
        return oe.exitCode();
      }
      err.println("error: unexpected failure: " + ex);
      if (command.verbose()) {
        ex.printStackTrace(err);
      } else {
        err.println("(run with --verbose for details)");
      }
      return 1;
    });
    return cli.execute(args);
  }
}
