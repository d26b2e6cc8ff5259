package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.prometheus.QueryResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A session's saved range query answers (the file {@link SavedMetricsWriter} or {@link WindowSave}
 * writes, plain or gzip-compressed), answering
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
   * Reads a saved file, every query, each at most {@link #DEFAULT_MAX_QUERY_BYTES} long.
   *
   * @throws InputException if the file cannot be read or is not in the saved format
   */
  public static SavedMetrics read(Path file) {
    return read(file, null, DEFAULT_MAX_QUERY_BYTES);
  }

  /** Largest saved answer {@link #read(Path)} takes in, in bytes of the file (64 MiB). */
  public static final long DEFAULT_MAX_QUERY_BYTES = 64L * 1024 * 1024;

  /**
   * Reads the answers to {@code wanted} from a saved file, streaming past all others (the series of
   * every job, which can be far larger than the heap), so what it holds is bounded by what a report
   * needs.
   *
   * @param wanted the PromQL to take in; null takes every query
   * @param maxQueryBytes the most file bytes one taken answer may span
   * @throws InputException if the file cannot be read, is not in the saved format, or an answer
   *     taken is larger than {@code maxQueryBytes}
   */
  public static SavedMetrics read(Path file, Set<String> wanted, long maxQueryBytes) {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode window = null;
    Map<String, QueryResult> answers = new LinkedHashMap<>();
    boolean sawQueries = false;
    try (InputStream in = open(file); JsonParser parser = mapper.getFactory().createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw InputException.at(file, 0, "", "expected an object with \"window\" and \"queries\"");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("window")) {
          window = bounded(file, parser, mapper, "window", 64 * 1024);
        } else if (field.equals("queries") && value == JsonToken.START_OBJECT) {
          sawQueries = true;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String promql = parser.currentName();
            parser.nextToken();
            if (wanted != null && !wanted.contains(promql)) {
              parser.skipChildren();
              continue;
            }
            JsonNode response = bounded(file, parser, mapper, "queries." + promql, maxQueryBytes);
            try {
              answers.put(promql, QueryResult.fromResponse(response));
            } catch (OperationFailedException e) {
              throw InputException.at(file, 0, "queries." + promql, e.getMessage());
            }
          }
        } else if (field.equals("queries")) {
          throw InputException.at(file, parser.currentLocation().getLineNr(), "queries",
              "expected an object of PromQL to query_range responses");
        } else {
          parser.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw InputException.at(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "",
          "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException("cannot read saved metrics " + file + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    if (window == null) {
      window = JsonNodeFactory.instance.objectNode();
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set("window", window);
    ReportWindow span = new ReportWindow(
        Instant.ofEpochMilli(millis(file, root, "start")),
        Instant.ofEpochMilli(millis(file, root, "end")),
        Duration.ofMillis(millis(file, root, "step_s")));
    if (!sawQueries) {
      throw InputException.at(file, 0, "queries", "expected an object of PromQL to query_range responses");
    }
    try {
      return new SavedMetrics(span, answers);
    } catch (IllegalArgumentException e) {
      throw InputException.at(file, 0, "window", e.getMessage());
    }
  }

  /** Whether a saved window at {@code file} is (to be) gzip-compressed: its name ends in .gz. */
  public static boolean isCompressed(Path file) {
    return file.getFileName().toString().endsWith(".gz");
  }

  /**
   * The file's JSON, decompressed when it starts with gzip's magic bytes (whatever its name): an
   * old plain .json and a new .json.gz read alike. Limits apply to the decompressed bytes.
   */
  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    try {
      in.mark(2);
      int first = in.read();
      int second = in.read();
      in.reset();
      return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /** The value at the parser, read only while it spans at most {@code maxBytes} of the file. */
  private static JsonNode bounded(Path file, JsonParser parser, ObjectMapper mapper, String key, long maxBytes)
      throws IOException {
    long first = parser.currentTokenLocation().getByteOffset();
    int line = parser.currentTokenLocation().getLineNr();
    try (TokenBuffer buffer = new TokenBuffer(parser)) {
      int depth = 0;
      do {
        if (parser.currentLocation().getByteOffset() - first > maxBytes) {
          throw InputException.at(file, line, key, "larger than limits.max_answer_bytes (" + maxBytes
              + " bytes); raise the limit to read it");
        }
        JsonToken token = parser.currentToken();
        buffer.copyCurrentEvent(parser);
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        }
      } while (depth > 0 && parser.nextToken() != null);
      try (JsonParser copy = buffer.asParser()) {
        JsonNode node = mapper.readTree(copy);
        return node == null ? JsonNodeFactory.instance.missingNode() : node;
      }
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
