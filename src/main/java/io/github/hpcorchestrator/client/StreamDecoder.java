package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a response body as it streams: for {@code ollama} NDJSON lines, for {@code openai} SSE
 * {@code data:} lines, for {@code http} raw bytes; tells which arrivals carried content and what
 * token counts the server reported.
 */
final class StreamDecoder {
  // Bounds one line of a stream, so a server that never sends a newline cannot fill the heap.
  static final int MAX_LINE_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String type;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long inputTokens = -1;
  private long outputTokens = -1;
  private boolean finished;
  private String error;

  StreamDecoder(String type) {
    this.type = type;
  }

  /** Feeds one arrival of bytes; returns how many content chunks it held. */
  int feed(ByteBuffer buffer) {
    if (type.equals("http")) {
      boolean any = buffer.hasRemaining();
      buffer.position(buffer.limit());
      return any ? 1 : 0;
    }
    int content = 0;
    while (buffer.hasRemaining() && error == null) {
      byte b = buffer.get();
      if (b == '\n') {
        content += line(new String(line.toByteArray(), StandardCharsets.UTF_8).strip());
        line.reset();
      } else if (line.size() >= MAX_LINE_BYTES) {
        error = "bad_response";
      } else {
        line.write(b);
      }
    }
    return content;
  }

  private int line(String text) {
    if (text.isEmpty() || finished) {
      return 0;
    }
    if (type.equals("openai")) {
      if (!text.startsWith("data:")) {
        return 0; // SSE comments, event names and ids carry no content
      }
      text = text.substring(5).strip();
      if (text.equals("[DONE]")) {
        finished = true;
        return 0;
      }
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      error = "bad_response";
      return 0;
    }
    if (node == null || !node.isObject() || node.has("error")) {
      error = node != null && node.has("error") ? "server_error" : "bad_response";
      return 0;
    }
    return type.equals("ollama") ? ollama(node) : openai(node);
  }

  private int ollama(JsonNode node) {
    String content = node.has("message") ? node.path("message").path("content").asText("")
        : node.path("response").asText("");
    if (node.path("done").asBoolean(false)) {
      finished = true;
      if (node.path("eval_count").isIntegralNumber()) {
        outputTokens = node.get("eval_count").asLong();
      }
      if (node.path("prompt_eval_count").isIntegralNumber()) {
        inputTokens = node.get("prompt_eval_count").asLong();
      }
    }
    return content.isEmpty() ? 0 : 1;
  }

  private int openai(JsonNode node) {
    JsonNode usage = node.path("usage");
    if (usage.isObject()) {
      if (usage.path("completion_tokens").isIntegralNumber()) {
        outputTokens = usage.get("completion_tokens").asLong();
      }
      if (usage.path("prompt_tokens").isIntegralNumber()) {
        inputTokens = usage.get("prompt_tokens").asLong();
      }
    }
    JsonNode choice = node.path("choices").path(0);
    String content = choice.has("delta") ? choice.path("delta").path("content").asText("")
        : choice.path("text").asText("");
    return content.isEmpty() ? 0 : 1;
  }

  /** The failure kind of what was read when the body ended normally, null when it was complete. */
  String endError() {
    if (error != null) {
      return error;
    }
    if (!type.equals("http") && !finished) {
      return "stream_cut"; // the body closed before the stream's own end marker
    }
    return null;
  }

  /** The failure seen so far while reading, null for none. */
  String error() {
    return error;
  }

  long inputTokens() {
    return inputTokens;
  }

  long outputTokens() {
    return outputTokens;
  }
}
