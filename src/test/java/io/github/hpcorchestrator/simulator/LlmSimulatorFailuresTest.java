package io.github.hpcorchestrator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** error_rate and cut_rate: seeded, so the same seed fails the same requests; cut streams lack their end. */
class LlmSimulatorFailuresTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private static LlmSimulator start(double errorRate, double cutRate, long seed) throws IOException {
    return LlmSimulator.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new SimulatorSpec(Duration.ZERO, Duration.ZERO, 8, errorRate, cutRate, seed));
  }

  private HttpResponse<String> post(LlmSimulator simulator, String path, String body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<Integer> statuses(LlmSimulator simulator, int requests) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      out.add(post(simulator, "/v1/completions", "{\"prompt\":\"x\"}").statusCode());
    }
    return out;
  }

  @Test
  void errorRateAnswersThatFractionWith500InASeededSequence() throws Exception {
    List<Integer> first;
    try (LlmSimulator simulator = start(0.25, 0, 7)) {
      first = statuses(simulator, 400);
      HttpResponse<String> tags = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + simulator.port() + "/api/tags")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(tags.statusCode()).as("listing is never failed").isEqualTo(200);
    }
    long errors = first.stream().filter(s -> s == 500).count();
    assertThat(errors).isBetween(70L, 130L);
    assertThat(first).containsOnly(200, 500);
    try (LlmSimulator again = start(0.25, 0, 7)) {
      assertThat(statuses(again, 400)).isEqualTo(first);
    }
  }

  @Test
  void aCutStreamEndsAfterHalfItsTokensWithoutTheFinalObjectOrDone() throws Exception {
    try (LlmSimulator simulator = start(0, 1, 1)) {
      HttpResponse<String> ollama = post(simulator, "/api/chat", "{\"messages\":[]}");
      assertThat(ollama.body().split("\n")).hasSize(4);
      assertThat(ollama.body()).doesNotContain("\"done\":true");
      HttpResponse<String> openai = post(simulator, "/v1/chat/completions", "{\"stream\":true,\"messages\":[]}");
      assertThat(openai.body().split("\n\n")).hasSize(4);
      assertThat(openai.body()).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
      String whole = post(simulator, "/v1/completions", "{\"prompt\":\"x\"}").body();
      assertThat(whole).startsWith("{").doesNotEndWith("}");
    }
  }
}
