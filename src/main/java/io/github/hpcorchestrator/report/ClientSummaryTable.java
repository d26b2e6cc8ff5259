package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client's summary.json ({client_id, partial, stages: [...]}, latencies in seconds) as a text table:
 * per stage the request count, errors by kind, the rates, and one row per latency with count, mean and
 * percentiles in milliseconds.
 */
public final class ClientSummaryTable {
  private static final List<String> LATENCIES = List.of("ttft", "tpot", "itl", "e2e", "queue_delay");
  private static final List<String> COLUMNS = List.of("count", "mean", "p50", "p90", "p95", "p99", "p999", "max");
  private static final Map<String, String> LABELS = Map.of("ttft", "TTFT", "tpot", "TPOT", "itl", "ITL",
      "e2e", "E2E", "queue_delay", "queue delay");

  private ClientSummaryTable() {
  }

  /** The table, ending in a newline; a partial summary says so on its first line. */
  public static String render(JsonNode summary) {
    StringBuilder out = new StringBuilder();
    out.append("client ").append(summary.path("client_id").asText("?"));
    if (summary.path("partial").asBoolean(false)) {
      out.append(" (partial: the client was stopped or died before its load was done)");
    }
    out.append('\n');
    for (JsonNode stage : summary.path("stages")) {
      out.append('\n').append("stage ").append(stage.path("name").asText("?")).append(": ")
          .append(stage.path("requests").asLong()).append(" requests, ").append(errors(stage.path("errors")))
          .append('\n');
      out.append(String.format(Locale.ROOT, "  %.2f requests/s, %.1f output tokens/s, %.1f total tokens/s%n",
          stage.path("request_rate").asDouble(), stage.path("output_token_rate").asDouble(),
          stage.path("total_token_rate").asDouble()));
      out.append(String.format(Locale.ROOT, "  %-12s %8s", "latency (ms)", "count"));
      for (String c : COLUMNS.subList(1, COLUMNS.size())) {
        out.append(String.format(Locale.ROOT, " %9s", c.equals("p999") ? "p99.9" : c));
      }
      out.append('\n');
      for (String name : LATENCIES) {
        JsonNode l = stage.path(name);
        if (!l.isObject() || l.path("count").asLong() == 0) {
          continue; // e.g. no TPOT for http, no queue delay in a closed loop
        }
        out.append(String.format(Locale.ROOT, "  %-12s %8d", LABELS.get(name), l.path("count").asLong()));
        for (String c : COLUMNS.subList(1, COLUMNS.size())) {
          out.append(String.format(Locale.ROOT, " %9.2f", l.path(c).asDouble() * 1000));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static String errors(JsonNode errors) {
    if (!errors.isObject() || errors.isEmpty()) {
      return "no errors";
    }
    StringBuilder out = new StringBuilder();
    long total = 0;
    for (var e = errors.fields(); e.hasNext();) {
      var entry = e.next();
      total += entry.getValue().asLong();
      out.append(out.length() == 0 ? "" : ", ").append(entry.getKey()).append(' ').append(entry.getValue().asLong());
    }
    return total + " errors (" + out + ")";
  }
}
