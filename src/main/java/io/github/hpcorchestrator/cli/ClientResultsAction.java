package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.report.ClientSummaryTable;
import io.github.hpcorchestrator.service.ClientResults;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --results ID}: a client's summary, fetched into {@code metrics/<client_id>/} by the first call
 * after the client ended; text prints the table, JSON the summary as the client wrote it; exit 0 once shown.
 */
final class ClientResultsAction {
  private static final long MAX_SUMMARY_BYTES = 16L << 20;

  private ClientResultsAction() {
  }

  static int run(BenchmarkOrchestrator orchestrator, String typedId, OutputFormat output, PrintWriter out)
      throws IOException {
    ServiceStatus status = orchestrator.servers().checkServiceStatus(typedId);
    ClientResults results = new ClientResults(orchestrator.shell(), orchestrator.config().metricsDir());
    String id = status.serviceId();
    if (status.state().isFinal() && !results.fetched(id)) {
      results.fetch(status.record());
    }
    Path summary = results.folder(id).resolve("summary.json");
    if (!Files.isRegularFile(summary)) {
      String progress = results.progress(status.record()).map(p -> ": " + p).orElse("");
      throw new InputException(status.state().isFinal()
          ? id + " is " + status.state() + " and left no summary (not a client, or it ended before measuring)"
          : id + " is " + status.state() + progress + "; its summary comes once it ends (--wait " + id + ")");
    }
    if (Files.size(summary) > MAX_SUMMARY_BYTES) {
      throw new InputException(summary + ": over " + (MAX_SUMMARY_BYTES >> 20) + " MiB, not a client summary");
    }
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(summary.toFile());
    } catch (IOException e) {
      throw new InputException(summary + ": not a JSON summary (" + e.getClass().getSimpleName() + ")");
    }
    if (output == OutputFormat.json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } else {
      out.print(ClientSummaryTable.render(node));
      out.println("(files in " + results.folder(id) + ")");
    }
    out.flush();
    return 0;
  }
}
