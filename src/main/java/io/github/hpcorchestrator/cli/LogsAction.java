package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.service.ServiceLogs;
import java.io.PrintWriter;
import java.util.Optional;

/** --logs ID [--tail N] [--follow] [--sidecar NAME]: prints a service's output as text. */
final class LogsAction {
  private final BenchmarkOrchestrator orchestrator;
  private final PrintWriter out;
  private final PrintWriter err;

  LogsAction(BenchmarkOrchestrator orchestrator, PrintWriter out, PrintWriter err) {
    this.orchestrator = orchestrator;
    this.out = out;
    this.err = err;
  }

  /** Prints the log (then, with {@code follow}, what is written until the job ends); returns the exit code. */
  int run(String typedId, int tail, boolean follow, Optional<String> sidecar, OutputFormat format) {
    if (format != OutputFormat.text) {
      // A log is text as the service wrote it; a JSON wrapper around a stream would never close.
      throw new InputException("--logs: only --output text applies, found --output " + format);
    }
    ServiceLogs logs = orchestrator.logs();
    ServiceLogs.Location where = logs.locate(typedId, sidecar);
    if (follow) {
      err.println("following " + where.path() + (where.node().isEmpty() ? "" : " (node " + where.node() + ")")
          + " until the job ends; Ctrl-C stops");
      err.flush();
    }
    logs.show(where, tail, follow, text -> {
      out.print(text);
      out.flush();
    });
    return 0;
  }
}
