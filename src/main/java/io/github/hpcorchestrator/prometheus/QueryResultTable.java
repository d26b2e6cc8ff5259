package io.github.hpcorchestrator.prometheus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link QueryResult} as a plain-text table for people.
 *
 * <ul>
 *   <li>Vector: one row per series; a column per label name found in any series ({@code __name__},
 *       {@code job}, {@code instance} first, the rest sorted), then {@code value}.
 *   <li>Matrix: the same label columns, then {@code timestamp} (ISO-8601 UTC) and {@code value},
 *       one row per sample, so every sample of a range query is visible.
 *   <li>Scalar and string: just the value on one line.
 *   <li>No series: {@code (no data)}.
 * </ul>
 *
 * Series are sorted by their label cells (a matrix's samples stay in time order), so the same
 * data always gives the same text whatever order Prometheus returned it in. A label a series lacks
 * is an empty cell. Columns are separated by two spaces; lines have no trailing spaces and end
 * with a newline.
 */
public final class QueryResultTable {

  private static final List<String> LEADING_LABELS = List.of("__name__", "job", "instance");
  private static final String GAP = "  ";

  /** Cell by cell, so series with equal leading labels are ordered by the next ones. */
  private static final Comparator<List<String>> LABEL_ORDER = (a, b) -> {
    for (int i = 0; i < a.size(); i++) {
      int order = a.get(i).compareTo(b.get(i));
      if (order != 0) {
        return order;
      }
    }
    return 0;
  };

  /** The table text for {@code result}. */
  public String render(QueryResult result) {
    if (result.resultType() == ResultType.SCALAR || result.resultType() == ResultType.STRING) {
      return result.series().get(0).samples().get(0).value() + "\n";
    }
    if (result.isEmpty()) {
      return "(no data)\n";
    }
    List<String> labelColumns = labelColumns(result.series());
    boolean matrix = result.resultType() == ResultType.MATRIX;
    List<String> header = new ArrayList<>(labelColumns);
    if (matrix) {
      header.add("timestamp");
    }
    header.add("value");

    // Series are sorted by their label cells; a matrix's samples keep Prometheus' time order.
    List<Series> sorted = new ArrayList<>(result.series());
    sorted.sort(Comparator.comparing(s -> labelCells(s, labelColumns), LABEL_ORDER));
    List<List<String>> seriesRows = new ArrayList<>();
    for (Series series : sorted) {
      List<String> labels = labelCells(series, labelColumns);
      if (matrix) {
        for (Sample sample : series.samples()) {
          seriesRows.add(concat(labels, sample.timestamp().toString(), sample.value()));
        }
      } else {
        seriesRows.add(concat(labels, series.samples().isEmpty() ? "" : series.samples().get(0).value()));
      }
    }
    List<List<String>> rows = new ArrayList<>(seriesRows.size() + 1);
    rows.add(header);
    rows.addAll(seriesRows);
    return layout(rows);
  }

  private static List<String> labelColumns(List<Series> series) {
    Set<String> all = new TreeSet<>();
    series.forEach(s -> all.addAll(s.metric().keySet()));
    List<String> columns = new ArrayList<>();
    for (String leading : LEADING_LABELS) {
      if (all.remove(leading)) {
        columns.add(leading);
      }
    }
    columns.addAll(all);
    return columns;
  }

  private static List<String> labelCells(Series series, List<String> labelColumns) {
    return labelColumns.stream().map(name -> series.metric().getOrDefault(name, "")).toList();
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> row = new ArrayList<>(head);
    row.addAll(List.of(tail));
    return row;
  }

  private static String layout(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          line.append(GAP);
        }
        line.append(row.get(i));
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length()));
        }
      }
      // A trailing empty cell would otherwise leave padding at the end of the line.
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
