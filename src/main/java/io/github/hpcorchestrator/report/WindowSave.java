package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Saves a monitor's window to the file {@link SavedMetrics} reads (the format of
 * {@link SavedMetricsWriter}) piece by piece, so no window needs the heap: each report metric is
 * one range query, each target job's series come one metric name at a time, and every piece's
 * series go from Prometheus' answer to the file as they arrive. Each piece is bounded by the
 * client's answer cap and deadline; the file appears whole or not at all, gzip-compressed when its
 * name ends in {@code .gz}.
 */
public final class WindowSave {
  private final PrometheusClient client;
  private final JsonFactory factory = new JsonFactory();

  /** @param client the monitor's Prometheus, with the limits that bound each piece */
  public WindowSave(PrometheusClient client) {
    this.client = client;
  }

  /**
   * Writes the answers to {@code metrics} (PromQL) and every series of each job in {@code jobs},
   * over {@code window}, to {@code file} (mode 0644; gzip when it ends in .gz). Returns how many
   * range requests it made.
   *
   * @throws OperationFailedException if a piece fails (too large, too slow, an error) or the
   *     file cannot be written; an older file then stays as it was
   */
  public int save(Path file, ReportWindow window, Collection<String> metrics, Collection<String> jobs) {
    // Sorted as SavedMetricsWriter sorts them, so the same answers always give the same file.
    TreeMap<String, String> queries = new TreeMap<>();
    metrics.forEach(promql -> queries.put(promql, null));
    jobs.forEach(job -> queries.put(selector("job", job), job));
    int[] pieces = {0};
    try {
      boolean compressed = SavedMetrics.isCompressed(file);
      AtomicFiles.write(file, 0644, out -> pieces[0] = write(compressed ? new GZIPOutputStream(out, 64 * 1024) : out,
          !compressed, window, queries));
    } catch (UncheckedIOException e) {
      throw new OperationFailedException("cannot write " + file + ": " + e.getCause().getClass().getSimpleName()
          + (e.getCause().getMessage() == null ? "" : " " + e.getCause().getMessage()), e);
    }
    return pieces[0];
  }

  private int write(OutputStream out, boolean indent, ReportWindow window, TreeMap<String, String> queries)
      throws IOException {
    int pieces = 0;
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      if (indent) {
        // A plain file is for people to read; a compressed one is for --report, and indents cost bytes.
        g.useDefaultPrettyPrinter();
      }
      g.writeStartObject();
      g.writeObjectFieldStart("window");
      g.writeNumberField("start", ReportWindow.epochSeconds(window.start()));
      g.writeNumberField("end", ReportWindow.epochSeconds(window.end()));
      g.writeNumberField("step_s", ReportWindow.seconds(window.step().toMillis()));
      g.writeEndObject();
      g.writeObjectFieldStart("queries");
      for (var query : queries.entrySet()) {
        g.writeObjectFieldStart(query.getKey());
        g.writeStringField("status", "success");
        g.writeObjectFieldStart("data");
        g.writeStringField("resultType", "matrix");
        g.writeArrayFieldStart("result");
        for (String piece : pieces(query.getKey(), query.getValue(), window)) {
          client.streamRange(piece, window.start(), window.end(), window.step(), parser -> copy(parser, g));
          pieces++;
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeRaw('\n');
    }
    return pieces;
  }

  /**
   * The queries whose series together answer {@code promql}: itself, or for a job one selector per
   * metric name the job had in the window (the same series, in the same order, as {@code {job=..}}).
   */
  private List<String> pieces(String promql, String job, ReportWindow window) {
    if (job == null) {
      return List.of(promql);
    }
    List<String> pieces = new ArrayList<>();
    for (String name : client.labelValues("__name__", promql, window.start(), window.end())) {
      pieces.add("{" + label("job", job) + "," + label("__name__", name) + "}");
    }
    return pieces;
  }

  /** The PromQL selector of every series whose {@code label} is {@code value}. */
  public static String selector(String label, String value) {
    return "{" + label(label, value) + "}";
  }

  private static String label(String label, String value) {
    return label + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /**
   * Copies the value at the parser's current token; floating-point numbers as plain decimals, so
   * times stay 1741089600.5 rather than 1.7410896005E9.
   */
  static void copy(JsonParser parser, JsonGenerator g) throws IOException {
    int depth = 0;
    do {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        g.writeNumber(parser.getDecimalValue());
      } else {
        g.copyCurrentEvent(parser);
      }
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        depth++;
      } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        depth--;
      }
    } while (depth > 0 && parser.nextToken() != null);
  }
}
