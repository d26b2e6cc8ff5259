package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes query results to files, atomically: JSON (the Prometheus API response as it came) or
 * CSV with one header row and one row per series and timestamp.
 */
public final class MetricsFiles {
  /** File formats for collected metrics. */
  public enum Format {
    json,
    csv
  }

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes {@code result} to {@code file} in {@code format}. */
  public void write(Path file, QueryResult result, Format format) {
    byte[] content = format == Format.json ? json(result) : csv(result).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, content, 0644);
  }

  private byte[] json(QueryResult result) {
    try {
      return (json.writeValueAsString(result.raw()) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OperationFailedException("cannot render JSON: " + e.getMessage(), e);
    }
  }

  /**
   * CSV: {@code timestamp,value,<label>...} with labels as columns (the union over all series,
   * sorted, {@code __name__} first); timestamps in epoch seconds as Prometheus gives them.
   */
  public String csv(QueryResult result) {
    TreeSet<String> labelSet = new TreeSet<>();
    result.series().forEach(s -> labelSet.addAll(s.metric().keySet()));
    List<String> labels = new ArrayList<>();
    if (labelSet.remove("__name__")) {
      labels.add("__name__");
    }
    labels.addAll(labelSet);
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("timestamp", "value"));
    header.addAll(labels);
    appendRow(out, header);
    for (Series series : result.series()) {
      for (Sample sample : series.samples()) {
        List<String> row = new ArrayList<>();
        row.add(epochSeconds(sample));
        row.add(sample.value());
        labels.forEach(l -> row.add(series.metric().getOrDefault(l, "")));
        appendRow(out, row);
      }
    }
    return out.toString();
  }

  private static String epochSeconds(Sample sample) {
    long millis = sample.timestamp().toEpochMilli();
    return millis % 1000 == 0 ? Long.toString(millis / 1000)
        : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }

  private static void appendRow(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i)));
    }
    out.append("\r\n");
  }

  /** RFC 4180: quote a cell holding a comma, quote or line break, doubling inner quotes. */
  private static String cell(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
