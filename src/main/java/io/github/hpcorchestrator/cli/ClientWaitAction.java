package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.SessionStart;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.report.ClientSummaryTable;
import io.github.hpcorchestrator.service.ClientResults;
import io.github.hpcorchestrator.service.ClientWait;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --wait ID} and {@code --recipe R --wait}: blocks until the clients end, progress lines on stderr,
 * then each client's summary table (text) or {@code {client_id, outcome, job_state, summary}} rows (JSON);
 * exit 0 when every client completed, 1 when one failed, was stopped or passed max_error_rate.
 */
final class ClientWaitAction {
  private ClientWaitAction() {
  }

  /** {@code --wait ID}: waits for a client that already runs, then shows how it ended. */
  static int waitFor(BenchmarkOrchestrator orchestrator, String typedId, Printer printer) {
    List<ClientWait.Result> ended = await(orchestrator, List.of(typedId), printer);
    printer.print(new View(() -> text(ended, orchestrator),
        () -> Printer.object().set("clients", json(ended))));
    return exitCode(ended);
  }

  /**
   * {@code --recipe R --wait}: starts the session, shows what started, waits for its clients (started last,
   * in recipe order, so they are the last IDs of the session), then shows how each ended.
   */
  static int startAndWait(BenchmarkOrchestrator orchestrator, Recipe recipe, Printer printer, OutputFormat output) {
    SessionStart start = orchestrator.startBenchmarkSession(recipe, true);
    View started = RecipeActions.view(orchestrator, start);
    List<String> ids = start.serviceIds();
    List<String> clients = ids.subList(ids.size() - recipe.clients().size(), ids.size());
    if (output == OutputFormat.text) {
      printer.print(started); // what started shows before the wait; JSON is one document at the end
    }
    List<ClientWait.Result> ended = await(orchestrator, clients, printer);
    printer.print(new View(() -> text(ended, orchestrator),
        () -> ((ObjectNode) started.json().get()).set("clients", json(ended))));
    return exitCode(ended);
  }

  /** Waits for each of {@code clientIds} in turn (they run side by side; the last to end bounds the wait). */
  static List<ClientWait.Result> await(BenchmarkOrchestrator orchestrator, List<String> clientIds, Printer printer) {
    ClientResults results = new ClientResults(orchestrator.shell(), orchestrator.config().metricsDir());
    ClientWait wait = new ClientWait(orchestrator.servers()::checkServiceStatus, results);
    List<ClientWait.Result> ended = new ArrayList<>();
    for (String id : clientIds) {
      try {
        ended.add(wait.await(id, line -> printer.progress(id + ": " + line)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperationFailedException("interrupted while waiting for " + id + " (it keeps running; --wait "
            + id + " again)", e);
      }
    }
    return ended;
  }

  /** 0 when every client completed, else 1. */
  static int exitCode(List<ClientWait.Result> ended) {
    return ended.stream().mapToInt(r -> r.outcome().exitCode()).max().orElse(0);
  }

  /** Each client's outcome line and summary table. */
  static String text(List<ClientWait.Result> ended, BenchmarkOrchestrator orchestrator) {
    StringBuilder text = new StringBuilder();
    ClientResults results = new ClientResults(orchestrator.shell(), orchestrator.config().metricsDir());
    for (ClientWait.Result r : ended) {
      text.append(r.clientId()).append(": ").append(words(r)).append('\n');
      r.summary().ifPresent(s -> text.append(ClientSummaryTable.render(s))
          .append("(files in ").append(results.folder(r.clientId())).append(")\n"));
      r.skipped().forEach(s -> text.append("not copied: ").append(s).append('\n'));
    }
    return text.toString();
  }

  /** The clients' ends as JSON rows, summaries as the clients wrote them. */
  static ArrayNode json(List<ClientWait.Result> ended) {
    ArrayNode rows = JsonNodeFactory.instance.arrayNode();
    for (ClientWait.Result r : ended) {
      ObjectNode row = rows.addObject().put("client_id", r.clientId())
          .put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT))
          .put("job_state", r.jobState().name());
      row.set("summary", r.summary().orElse(JsonNodeFactory.instance.nullNode()));
      r.skipped().forEach(row.withArray("not_copied")::add);
    }
    return rows;
  }

  /** Running clients' progress in words by ID, for --status; services without progress.json are left out. */
  static Map<String, String> progress(BenchmarkOrchestrator orchestrator, List<ServiceStatus> services) {
    ClientResults results = new ClientResults(orchestrator.shell(), orchestrator.config().metricsDir());
    return results.progress(services.stream().filter(s -> s.state() == JobState.RUNNING && !s.record().isMonitor())
        .map(ServiceStatus::record).toList());
  }

  /** Progress as text lines under a heading, empty when no client runs. */
  static String progressText(Map<String, String> words) {
    if (words.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("\nClients:\n");
    words.forEach((id, p) -> text.append("  ").append(id).append(": ").append(p).append('\n'));
    return text.toString();
  }

  private static String words(ClientWait.Result r) {
    return switch (r.outcome()) {
      case COMPLETED -> "completed";
      case OVER_ERROR_RATE -> "failed: its errors passed max_error_rate";
      case STOPPED_PARTIAL -> "stopped before its load was done; the summary is partial";
      case FAILED -> "failed (job " + r.jobState() + ") and left no summary";
    };
  }
}
