package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/** Prints an error on stderr as text lines, or under --output json as {"error": ..., "exit_code": N}. */
final class ErrorPrinter {
  private final PrintWriter err;
  private final boolean json;

  ErrorPrinter(PrintWriter err, boolean json) {
    this.err = err;
    this.json = json;
  }

  /** A usage error: the message and a pointer to --help; returns 2. */
  int usage(String message) {
    if (json) {
      return printJson(message, 2);
    }
    err.println("error: " + message);
    err.println("Try --help for usage.");
    err.flush();
    return 2;
  }

  /** An orchestrator failure with its own exit code; {@code detail} (may be null) only in text. */
  int failure(String message, int code, String detail) {
    if (json) {
      return printJson(message, code);
    }
    err.println("error: " + message);
    if (detail != null) {
      err.println(detail);
    }
    err.flush();
    return code;
  }

  /** A failure the code did not foresee: one line, the stack trace only with --verbose; returns 1. */
  int unexpected(Exception ex, boolean verbose) {
    if (json) {
      return printJson("unexpected failure: " + ex, 1);
    }
    err.println("error: unexpected failure: " + ex);
    if (verbose) {
      ex.printStackTrace(err);
    } else {
      err.println("(run with --verbose for details)");
    }
    err.flush();
    return 1;
  }

  private int printJson(String message, int code) {
    ObjectNode node = Printer.object().put("error", message).put("exit_code", code);
    err.println(node.toString());
    err.flush();
    return code;
  }
}
