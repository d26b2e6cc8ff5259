package io.github.hpcorchestrator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's /v1/chat/completions and /v1/completions framing: streamed as server-sent events
 * ({@code data: {...}} and a blank line each, then {@code data: [DONE]}), with a last chunk of
 * empty {@code choices} and the {@code usage} when {@code stream_options.include_usage} asks.
 */
final class OpenAiWire implements Wire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
  private final GenerationRequest request;
  private final String id;
  private final long created = System.currentTimeMillis() / 1000;

  OpenAiWire(GenerationRequest request, long id) {
    this.request = request;
    this.id = (request.api().chat() ? "chatcmpl-sim-" : "cmpl-sim-") + id;
  }

  @Override
  public String contentType() {
    return request.stream() ? "text/event-stream" : "application/json";
  }

  @Override
  public byte[] token(int index, String text) {
    ObjectNode node = head(true);
    ObjectNode choice = choice(node, null);
    if (request.api().chat()) {
      ObjectNode delta = choice.putObject("delta");
      if (index == 0) {
        delta.put("role", "assistant");
      }
      delta.put("content", text);
    } else {
      choice.put("text", text);
    }
    return event(node);
  }

  @Override
  public byte[] end(Totals totals) {
    ObjectNode finish = head(true);
    ObjectNode choice = choice(finish, totals.finishReason());
    if (request.api().chat()) {
      choice.putObject("delta");
    } else {
      choice.put("text", "");
    }
    byte[] last = event(finish);
    byte[] usage = new byte[0];
    if (request.includeUsage()) {
      ObjectNode node = head(false);
      node.putArray("choices");
      usage(node, totals);
      usage = event(node);
    }
    byte[] out = new byte[last.length + usage.length + DONE.length];
    System.arraycopy(last, 0, out, 0, last.length);
    System.arraycopy(usage, 0, out, last.length, usage.length);
    System.arraycopy(DONE, 0, out, last.length + usage.length, DONE.length);
    return out;
  }

  @Override
  public byte[] whole(String text, Totals totals) {
    ObjectNode node = head(false);
    ObjectNode choice = choice(node, totals.finishReason());
    if (request.api().chat()) {
      choice.putObject("message").put("role", "assistant").put("content", text);
    } else {
      choice.put("text", text);
    }
    usage(node, totals);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode head(boolean chunk) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    String object = request.api().chat() ? "chat.completion" : "text_completion";
    node.put("object", chunk && request.api().chat() ? object + ".chunk" : object);
    node.put("created", created);
    node.put("model", request.model());
    return node;
  }

  private ObjectNode choice(ObjectNode node, String finishReason) {
    ArrayNode choices = node.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    if (!request.api().chat()) {
      choice.putNull("logprobs");
    }
    choice.put("finish_reason", finishReason);
    if (request.stream() && request.includeUsage()) {
      // OpenAI sends "usage": null on every chunk but the last when usage is asked for.
      node.putNull("usage");
    }
    return choice;
  }

  private static void usage(ObjectNode node, Totals t) {
    node.putObject("usage").put("prompt_tokens", t.promptTokens()).put("completion_tokens", t.outputTokens())
        .put("total_tokens", t.promptTokens() + t.outputTokens());
  }

  private static byte[] event(ObjectNode node) {
    return ("data: " + node + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
