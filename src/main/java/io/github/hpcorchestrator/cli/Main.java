package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.OrchestratorException;
import io.github.hpcorchestrator.recipe.DidYouMean;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Command-line entry point. Maps every outcome to an exit code in one place: 0 ok, 1 runtime
 * failure, 2 usage or input error; under {@code --output json} each error is one JSON object.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(call(args));
  }

  /** Runs the CLI with {@code args} on this process's standard streams, flushed at the end; returns the exit code. */
  public static int call(String... args) {
    // Before any library makes its logger: library lines (SSH, MINA, SQLite) only with --verbose.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(args));
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    return code;
  }

  /** The SLF4J simple level for {@code args}: info with -v/--verbose, else off. */
  static String logLevel(String... args) {
    List<String> list = Arrays.asList(args);
    return list.contains("--verbose") || list.contains("-v") ? "info" : "off";
  }

  /** Runs the CLI with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    OrchestratorCommand command = new OrchestratorCommand(out, err);
    CommandLine cli = new CommandLine(command);
    HelpText.install(cli);
    cli.setOut(out);
    cli.setErr(err);
    ErrorPrinter errors = new ErrorPrinter(err, wantsJson(args));
    cli.setParameterExceptionHandler((ex, a) -> {
      // Some picocli messages already start with "Error: "; print the prefix once.
      String message = ex.getMessage().replaceFirst("^Error: ", "") + suggestion(ex, cli);
      return errors.usage(message);
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof UsageException ue) {
        return errors.usage(ue.getMessage());
      }
      if (ex instanceof OrchestratorException oe) {
        return errors.failure(oe.getMessage(), oe.exitCode(),
            command.verbose() && oe.getCause() != null ? "  caused by: " + oe.getCause() : null);
      }
      return errors.unexpected(ex, command.verbose());
    });
    return cli.execute(args);
  }

  /** True when the arguments ask for JSON: known before parsing, so parse errors are JSON too. */
  static boolean wantsJson(String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--output=json") || (args[i].equals("--output") && i + 1 < args.length
          && args[i + 1].equals("json"))) {
        return true;
      }
    }
    return false;
  }

  /** ", did you mean '--status'?" for a mistyped option, or empty. */
  private static String suggestion(CommandLine.ParameterException ex, CommandLine cli) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) {
      return "";
    }
    List<String> names = cli.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList();
    Optional<String> typed = u.getUnmatched().stream().filter(s -> s.startsWith("-")).findFirst()
        .map(s -> s.replaceFirst("=.*", ""));
    return typed.flatMap(t -> DidYouMean.closest(t, names)).map(n -> ", did you mean '" + n + "'?").orElse("");
  }
}
