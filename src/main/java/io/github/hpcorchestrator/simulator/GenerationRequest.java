package io.github.hpcorchestrator.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the simulator reads from one generation request's JSON body.
 *
 * @param api the endpoint it came to
 * @param model the model it names, echoed back ("sim" when it names none)
 * @param stream whether the answer is streamed (both APIs' {@code stream}; Ollama defaults to
 *     true, OpenAI to false)
 * @param includeUsage OpenAI's {@code stream_options.include_usage}
 * @param promptTokens the prompt's length in tokens: its whitespace-separated words
 * @param maxTokens the output limit it asks for ({@code max_tokens}, {@code max_completion_tokens}
 *     or Ollama's {@code options.num_predict}); 0 when it asks for none
 */
record GenerationRequest(Api api, String model, boolean stream, boolean includeUsage, int promptTokens,
    int maxTokens) {

  /** The default model name, also the one /api/tags and /v1/models list. */
  static final String MODEL = "sim";
  private static final int MODEL_NAME_LIMIT = 200;

  /**
   * Reads {@code body}.
   *
   * @throws IllegalArgumentException with the reason when it is no JSON object
   */
  static GenerationRequest parse(Api api, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String model = body.path("model").asText(MODEL);
    if (model.isEmpty() || model.length() > MODEL_NAME_LIMIT) {
      model = MODEL;
    }
    boolean stream = body.path("stream").asBoolean(api.ollama());
    boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
    int prompt = words(body.path("prompt")) + words(body.path("system"));
    for (JsonNode message : body.path("messages")) {
      prompt += words(message.path("content"));
    }
    int max = api.ollama() ? body.path("options").path("num_predict").asInt(0)
        : body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(0));
    return new GenerationRequest(api, model, stream, usage, prompt, Math.max(0, max));
  }

  /** The tokens an answer has when the simulator's own length is {@code outputTokens}. */
  int answerTokens(int outputTokens) {
    return maxTokens > 0 ? Math.min(maxTokens, outputTokens) : outputTokens;
  }

  /** Whitespace-separated words of a string, a list of strings, or OpenAI's content parts. */
  private static int words(JsonNode node) {
    if (node.isTextual()) {
      String text = node.asText().strip();
      return text.isEmpty() ? 0 : text.split("\\s+").length;
    }
    int sum = 0;
    if (node.isArray()) {
      for (JsonNode item : node) {
        sum += words(item.isObject() ? item.path("text") : item);
      }
    }
    return sum;
  }
}
