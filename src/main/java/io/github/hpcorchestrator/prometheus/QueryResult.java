package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.OperationFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to an instant or range query: typed series for people and tables, plus the response
 * exactly as Prometheus sent it for {@code --output json}. Callers must not modify {@code raw}.
 *
 * @param resultType vector, matrix, scalar or string
 * @param series the series in Prometheus' order; a scalar or string is one series without labels
 * @param raw the whole response document ({@code {"status":"success","data":...}})
 */
public record QueryResult(ResultType resultType, List<Series> series, JsonNode raw) {

  public QueryResult {
    series = List.copyOf(series);
  }

  /** True when no series came back (scalars and strings are never empty). */
  public boolean isEmpty() {
    return series.isEmpty();
  }

  /**
   * Reads a successful query response. Series that carry only native histograms have no samples.
   *
   * @throws OperationFailedException if the document is not a query result
   */
  public static QueryResult fromResponse(JsonNode response) {
    JsonNode data = response.path("data");
    JsonNode result = data.path("result");
    ResultType type;
    try {
      type = ResultType.fromApiName(data.path("resultType").asText());
    } catch (IllegalArgumentException e) {
      throw unexpected("unknown resultType \"" + data.path("resultType").asText() + "\"");
    }
    List<Series> series = new ArrayList<>();
    switch (type) {
      case SCALAR, STRING -> series.add(new Series(Map.of(), List.of(sample(result))));
      case VECTOR -> result.forEach(s -> series.add(new Series(labels(s.path("metric")), samples(s.path("value")))));
      case MATRIX -> result.forEach(s -> series.add(new Series(labels(s.path("metric")), samples(s.path("values")))));
    }
    return new QueryResult(type, series, response);
  }

  /** A vector holds one {@code [t, "v"]} pair, a matrix a list of them; both become a list. */
  private static List<Sample> samples(JsonNode node) {
    if (node.isMissingNode()) {
      return List.of();
    }
    if (node.isArray() && node.size() > 0 && !node.get(0).isArray()) {
      return List.of(sample(node));
    }
    List<Sample> samples = new ArrayList<>(node.size());
    node.forEach(pair -> samples.add(sample(pair)));
    return samples;
  }

  private static Sample sample(JsonNode pair) {
    if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
      throw unexpected("a sample is not a [time, \"value\"] pair: " + pair);
    }
    // Prometheus times are seconds with millisecond precision; rounding undoes the double's error.
    long millis = Math.round(pair.get(0).asDouble() * 1000);
    return new Sample(Instant.ofEpochMilli(millis), pair.get(1).asText());
  }

  static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> label : object.properties()) {
      labels.put(label.getKey(), label.getValue().asText());
    }
    return labels;
  }

  private static OperationFailedException unexpected(String what) {
    return new OperationFailedException("Prometheus sent an unexpected query result: " + what);
  }
}
