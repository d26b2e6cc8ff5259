package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a range query's answer as a stream, handing each series of the matrix on as it is parsed,
 * so an answer is never held whole.
 */
final class MatrixStream {
  /**
   * A streamed answer: {@code whole} is null once a success matrix went to the sink, else it holds
   * what to judge with the usual checks.
   */
  record Streamed(int status, String whole, int count) {}

  private MatrixStream() {}

  /**
   * Streams a 200 answer's series to {@code sink}; any other answer comes back whole (an error
   * answer is small, and the body is capped in any case).
   *
   * @throws UncheckedIOException if {@code sink} fails
   */
  static Streamed read(JsonFactory factory, int status, InputStream body, PrometheusClient.SeriesSink sink)
      throws IOException {
    if (status != 200) {
      return new Streamed(status, new String(body.readAllBytes(), StandardCharsets.UTF_8), 0);
    }
    try (JsonParser parser = factory.createParser(body)) {
      return streamBody(parser, sink);
    } catch (JsonProcessingException e) {
      return new Streamed(status, "", 0);
    }
  }

  private static Streamed streamBody(JsonParser parser, PrometheusClient.SeriesSink sink) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return new Streamed(200, "", 0);
    }
    String apiStatus = "";
    String resultType = "";
    String errorType = "";
    String error = "";
    int count = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "status" -> apiStatus = parser.getValueAsString("");
        case "errorType" -> errorType = parser.getValueAsString("");
        case "error" -> error = parser.getValueAsString("");
        case "data" -> {
          if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            continue;
          }
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (name.equals("resultType")) {
              resultType = parser.getValueAsString("");
            } else if (name.equals("result") && token == JsonToken.START_ARRAY) {
              if (!resultType.equals("matrix")) {
                throw unexpected("a range query answered resultType \"" + resultType + "\", not a matrix");
              }
              while (parser.nextToken() == JsonToken.START_OBJECT) {
                try {
                  sink.series(parser);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                count++;
              }
            } else {
              parser.skipChildren();
            }
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (!"success".equals(apiStatus)) {
      String words = JsonNodeFactory.instance.objectNode().put("status", apiStatus).put("errorType", errorType)
          .put("error", error).toString();
      return new Streamed(200, words, 0);
    }
    return new Streamed(200, null, count);
  }

  private static OperationFailedException unexpected(String what) {
    return new OperationFailedException("Prometheus sent an unexpected query result: " + what);
  }
}
