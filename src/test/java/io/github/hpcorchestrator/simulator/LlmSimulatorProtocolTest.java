package io.github.hpcorchestrator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.recipe.SimulatorSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire formats against the real server on an ephemeral port: field names, framing, usage. */
class LlmSimulatorProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private LlmSimulator simulator;

  @BeforeEach
  void start() throws IOException {
    simulator = LlmSimulator.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new SimulatorSpec(Duration.ofMillis(5), Duration.ofMillis(1), 8, 0, 0, 1));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> lines(String body) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** The JSON of each {@code data:} event; "[DONE]" must be the last and is left out. */
  private static List<JsonNode> events(String body) throws IOException {
    assertThat(body).endsWith("data: [DONE]\n\n");
    List<JsonNode> out = new ArrayList<>();
    for (String event : body.substring(0, body.length() - "data: [DONE]\n\n".length()).split("\n\n")) {
      assertThat(event).startsWith("data: ");
      out.add(JSON.readTree(event.substring("data: ".length())));
    }
    return out;
  }

  @Test
  void ollamaGenerateStreamsOneTokenPerLineThenTheFinalObjectWithCountsAndNanoseconds() throws Exception {
    HttpResponse<String> r = post("/api/generate", "{\"model\":\"sim\",\"prompt\":\"three little words\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    List<JsonNode> lines = lines(r.body());
    assertThat(lines).hasSize(9);
    StringBuilder text = new StringBuilder();
    for (JsonNode line : lines.subList(0, 8)) {
      assertThat(line.path("done").asBoolean()).isFalse();
      assertThat(line.path("model").asText()).isEqualTo("sim");
      assertThat(line.path("created_at").asText()).isNotEmpty();
      text.append(line.path("response").asText());
    }
    assertThat(text.toString().split(" ")).hasSize(8);
    JsonNode last = lines.get(8);
    assertThat(last.path("done").asBoolean()).isTrue();
    assertThat(last.path("done_reason").asText()).isEqualTo("stop");
    assertThat(last.path("eval_count").asInt()).isEqualTo(8);
    assertThat(last.path("prompt_eval_count").asInt()).isEqualTo(3);
    for (String field : List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
      assertThat(last.path(field).isIntegralNumber()).as(field).isTrue();
    }
    // 5 ms to the first token, 7 more at 1 ms each; measured, so only the scheduled times are floors.
    assertThat(last.path("prompt_eval_duration").asLong()).isGreaterThanOrEqualTo(5_000_000L);
    assertThat(last.path("total_duration").asLong()).isGreaterThanOrEqualTo(12_000_000L);
    assertThat(last.path("eval_duration").asLong()).isPositive();
    assertThat(last.path("prompt_eval_duration").asLong() + last.path("eval_duration").asLong())
        .isEqualTo(last.path("total_duration").asLong());
  }

  @Test
  void ollamaChatWithoutStreamingIsOneObjectAndHonoursNumPredict() throws Exception {
    HttpResponse<String> r = post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,\"options\":{\"num_predict\":3},"
        + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi there\"}]}");
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.path("model").asText()).isEqualTo("llama3");
    assertThat(answer.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(answer.path("message").path("content").asText().trim().split(" ")).hasSize(3);
    assertThat(answer.path("done").asBoolean()).isTrue();
    assertThat(answer.path("done_reason").asText()).isEqualTo("length");
    assertThat(answer.path("eval_count").asInt()).isEqualTo(3);
    assertThat(answer.path("prompt_eval_count").asInt()).isEqualTo(4);
  }

  @Test
  void openAiChatStreamsSseChunksWithAFinalUsageChunkWhenAskedThenDone() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"sim\",\"stream\":true,\"max_tokens\":5,"
        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<JsonNode> events = events(r.body());
    // 5 token chunks, the finish chunk, the usage chunk.
    assertThat(events).hasSize(7);
    assertThat(events.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    for (JsonNode chunk : events.subList(0, 5)) {
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("id").asText()).isEqualTo(events.get(0).path("id").asText());
      assertThat(chunk.path("choices").get(0).path("delta").path("content").asText()).isNotBlank();
      assertThat(chunk.path("choices").get(0).path("finish_reason").isNull()).isTrue();
      assertThat(chunk.has("usage") && chunk.path("usage").isNull()).isTrue();
    }
    assertThat(events.get(5).path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    JsonNode usage = events.get(6);
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.path("usage").path("prompt_tokens").asInt()).isEqualTo(1);
    assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(6);
  }

  @Test
  void openAiCompletionsStreamWithoutUsageHasNoUsageChunk() throws Exception {
    List<JsonNode> events = events(post("/v1/completions", "{\"model\":\"sim\",\"stream\":true,\"prompt\":\"a b\"}")
        .body());
    assertThat(events).hasSize(9);
    assertThat(events.get(0).path("object").asText()).isEqualTo("text_completion");
    assertThat(events.get(0).path("choices").get(0).path("text").asText()).isNotBlank();
    assertThat(events.get(8).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(events).allSatisfy(e -> assertThat(e.has("usage")).isFalse());
  }

  @Test
  void openAiAnswersWithoutStreamCarryUsage() throws Exception {
    JsonNode chat = JSON.readTree(post("/v1/chat/completions",
        "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}").body());
    assertThat(chat.path("object").asText()).isEqualTo("chat.completion");
    assertThat(chat.path("choices").get(0).path("message").path("content").asText().trim().split(" ")).hasSize(8);
    assertThat(chat.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(chat.path("usage").path("prompt_tokens").asInt()).isEqualTo(2);
    assertThat(chat.path("usage").path("completion_tokens").asInt()).isEqualTo(8);
    JsonNode text = JSON.readTree(post("/v1/completions", "{\"prompt\":[\"x\",\"y z\"],\"max_tokens\":2}").body());
    assertThat(text.path("choices").get(0).path("text").asText()).isEqualTo("lorem ipsum ");
    assertThat(text.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void listsItsModelAndPullsWithStatusLines() throws Exception {
    JsonNode tags = JSON.readTree(get("/api/tags").body());
    assertThat(tags.path("models").get(0).path("name").asText()).isEqualTo("sim:latest");
    assertThat(JSON.readTree(get("/api/ps").body()).path("models").get(0).path("name").asText())
        .isEqualTo("sim:latest");
    assertThat(JSON.readTree(get("/api/version").body()).path("version").asText()).contains("llm-simulator");
    JsonNode models = JSON.readTree(get("/v1/models").body());
    assertThat(models.path("object").asText()).isEqualTo("list");
    assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("sim");
    List<JsonNode> pull = lines(post("/api/pull", "{\"model\":\"sim\"}").body());
    assertThat(pull.get(0).path("status").asText()).isEqualTo("pulling manifest");
    assertThat(pull.get(pull.size() - 1).path("status").asText()).isEqualTo("success");
    assertThat(lines(post("/api/pull", "{\"model\":\"sim\",\"stream\":false}").body())).hasSize(1);
  }

  @Test
  void badRequestsGetAStatusAndAJsonError() throws Exception {
    HttpResponse<String> notJson = post("/api/generate", "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notJson.body()).path("error").asText()).contains("not JSON");
    assertThat(get("/api/generate").statusCode()).isEqualTo(405);
    assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    assertThat(post("/v1/completions", "[1]").statusCode()).isEqualTo(400);
  }
}
