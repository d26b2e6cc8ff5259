package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.prometheus.QueryResult;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A session's saved range query answers (the file {@link SavedMetricsWriter} writes), answering
 * the same queries again so a report can be rebuilt after Prometheus is gone. Immutable.
 *
 * <p>{@link #queryRange} returns the saved answer for the PromQL text, whatever range it is asked
 * for, and an empty matrix for a query that was not saved.
 */
public final class SavedMetrics implements RangeQueries {
  private final ReportWindow window;
  private final Map<String, QueryResult> answers;

  public SavedMetrics(ReportWindow window, Map<String, QueryResult> answers) {
    this.window = window;
    this.answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  /**
   * Reads a saved file.
   *
   * @throws InputException if the file cannot be read or is not in the saved format
   */
  public static SavedMetrics read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw InputException.at(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "",
          "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException("cannot read saved metrics " + file + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw InputException.at(file, 0, "", "expected an object with \"window\" and \"queries\"");
    }
    ReportWindow window = new ReportWindow(
        Instant.ofEpochMilli(millis(file, root, "start")),
        Instant.ofEpochMilli(millis(file, root, "end")),
        Duration.ofMillis(millis(file, root, "step_s")));
    JsonNode queries = root.path("queries");
    if (!queries.isObject()) {
      throw InputException.at(file, 0, "queries", "expected an object of PromQL to query_range responses");
    }
    Map<String, QueryResult> answers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> query : queries.properties()) {
      try {
        answers.put(query.getKey(), QueryResult.fromResponse(query.getValue()));
      } catch (OperationFailedException e) {
        throw InputException.at(file, 0, "queries." + query.getKey(), e.getMessage());
      }
    }
    try {
      return new SavedMetrics(window, answers);
    } catch (IllegalArgumentException e) {
      throw InputException.at(file, 0, "window", e.getMessage());
    }
  }

  private static long millis(Path file, JsonNode root, String field) {
    JsonNode value = root.path("window").path(field);
    if (!value.isNumber()) {
      throw InputException.at(file, 0, "window." + field, "expected a number of seconds, got " + value);
    }
    long millis = value.decimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    if (field.equals("step_s") && millis <= 0) {
      throw InputException.at(file, 0, "window.step_s", "must be positive, got " + value);
    }
    return millis;
  }

  /** The window the answers were queried over. */
  public ReportWindow window() {
    return window;
  }

  /** The saved PromQL queries, in file order. */
  public Set<String> queries() {
    return answers.keySet();
  }

  /** All saved answers keyed by PromQL, in file order. */
  public Map<String, QueryResult> answers() {
    return answers;
  }

  @Override
  public QueryResult queryRange(String promql, Instant start, Instant end, Duration step) {
    QueryResult saved = answers.get(promql);
    return saved != null ? saved : QueryResult.fromResponse(emptyMatrix());
  }

  private static ObjectNode emptyMatrix() {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("status", "success");
    ObjectNode data = response.putObject("data");
    data.put("resultType", "matrix");
    data.putArray("result");
    return response;
  }
}
