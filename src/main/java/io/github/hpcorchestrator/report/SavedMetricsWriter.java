package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a session's range query answers to one JSON file that {@link SavedMetrics} reads back:
 *
 * <pre>{@code
 * {
 *   "window": {"start": 1700000000, "end": 1700003600, "step_s": 4},
 *   "queries": {
 *     "up": {"status": "success", "data": {"resultType": "matrix", "result": [...]}},
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Times are epoch seconds; each query maps to the response exactly as Prometheus sent it
 * ({@link QueryResult#raw()}), or, for a result without one, an equivalent matrix response.
 * Queries are sorted so the same answers always give the same file.
 */
public final class SavedMetricsWriter {
  private SavedMetricsWriter() {}

  /**
   * Writes {@code answers}, keyed by PromQL, queried over {@code window}, to {@code file} (mode
   * 0644): compact and gzip-compressed when its name ends in .gz, else indented JSON.
   */
  public static void write(Path file, ReportWindow window, Map<String, QueryResult> answers) {
    ObjectMapper mapper = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    try {
      if (SavedMetrics.isCompressed(file)) {
        byte[] text = mapper.writeValueAsBytes(document(window, answers));
        AtomicFiles.write(file, 0644, out -> {
          try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(text);
            gz.write('\n');
          }
        });
        return;
      }
      String text = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document(window, answers));
      AtomicFiles.write(file, (text + "\n").getBytes(StandardCharsets.UTF_8), 0644);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's JSON document. */
  public static ObjectNode document(ReportWindow window, Map<String, QueryResult> answers) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode w = root.putObject("window");
    w.put("start", ReportWindow.epochSeconds(window.start()));
    w.put("end", ReportWindow.epochSeconds(window.end()));
    w.put("step_s", ReportWindow.seconds(window.step().toMillis()));
    ObjectNode queries = root.putObject("queries");
    new TreeMap<>(answers).forEach((promql, result) -> queries.set(promql, response(result)));
    return root;
  }

  /**
   * A copy of {@code node} whose floating-point numbers are decimals, so times print as
   * 1741089600.5 rather than 1.7410896005E9 (the same double either way).
   */
  private static JsonNode plainNumbers(JsonNode node) {
    if (node.isFloatingPointNumber() && !node.isBigDecimal() && Double.isFinite(node.doubleValue())) {
      return DecimalNode.valueOf(BigDecimal.valueOf(node.doubleValue()));
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), plainNumbers(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(e -> copy.add(plainNumbers(e)));
      return copy;
    }
    return node;
  }

  private static JsonNode response(QueryResult result) {
    if (result.raw() != null && !result.raw().isMissingNode()) {
      return plainNumbers(result.raw());
    }
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("status", "success");
    ObjectNode data = response.putObject("data");
    data.put("resultType", "matrix");
    ArrayNode list = data.putArray("result");
    for (Series s : result.series()) {
      ObjectNode series = list.addObject();
      ObjectNode metric = series.putObject("metric");
      s.metric().forEach(metric::put);
      ArrayNode values = series.putArray("values");
      for (Sample sample : s.samples()) {
        values.addArray().add(ReportWindow.epochSeconds(sample.timestamp())).add(sample.value());
      }
    }
    return response;
  }
}
