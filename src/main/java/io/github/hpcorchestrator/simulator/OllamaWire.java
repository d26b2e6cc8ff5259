package io.github.hpcorchestrator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Ollama's /api/generate and /api/chat framing: one JSON object per line (NDJSON), the last with
 * {@code done: true} and the counts and durations (nanoseconds) of Ollama's final object.
 */
final class OllamaWire implements Wire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GenerationRequest request;

  OllamaWire(GenerationRequest request) {
    this.request = request;
  }

  @Override
  public String contentType() {
    return request.stream() ? "application/x-ndjson" : "application/json; charset=utf-8";
  }

  @Override
  public byte[] token(int index, String text) {
    return line(chunk(text, false));
  }

  @Override
  public byte[] end(Totals totals) {
    return line(finish(chunk("", true), totals));
  }

  @Override
  public byte[] whole(String text, Totals totals) {
    return line(finish(chunk(text, true), totals));
  }

  private ObjectNode chunk(String text, boolean done) {
    ObjectNode node = JSON.createObjectNode();
    node.put("model", request.model());
    node.put("created_at", Instant.now().toString());
    if (request.api().chat()) {
      node.putObject("message").put("role", "assistant").put("content", text);
    } else {
      node.put("response", text);
    }
    node.put("done", done);
    return node;
  }

  private static ObjectNode finish(ObjectNode node, Totals t) {
    node.put("done_reason", t.finishReason());
    node.put("total_duration", t.endNanos() - t.readNanos());
    // Nothing is loaded: the model is always "in memory".
    node.put("load_duration", 0L);
    node.put("prompt_eval_count", t.promptTokens());
    node.put("prompt_eval_duration", t.firstNanos() - t.readNanos());
    node.put("eval_count", t.outputTokens());
    node.put("eval_duration", t.endNanos() - t.firstNanos());
    return node;
  }

  private static byte[] line(ObjectNode node) {
    return (node.toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
