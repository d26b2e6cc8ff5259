package io.github.hpcorchestrator.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientPlanTest {

  @Test
  void roundTripsThroughJsonWithAbsentFieldsLeftOut() throws Exception {
    ClientPlan plan = new ClientPlan("chat_0badcafe",
        new ClientPlan.Target("http://node3:11434", Optional.of("llm_simulator_12345678"), Optional.empty(),
            Optional.empty(), Optional.empty()),
        new ClientPlan.Workload("openai", Optional.empty(), "/v1/chat/completions", Map.of("X-A", "b"),
            Optional.empty(), Optional.of("sim"), Optional.of(64), Optional.empty(), 60),
        new ClientPlan.Prompts(Optional.of(List.of("Hello", "Tell me a story")), Optional.empty(), Optional.empty()),
        new ClientPlan.Load(Optional.of(4), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(100),
            Optional.empty(), Optional.of(8), Optional.empty(), 7),
        0.05);

    String json = plan.toJson();

    assertThat(json).contains("\"client_id\" : \"chat_0badcafe\"", "\"max_tokens\" : 64", "\"concurrency\" : 4")
        .doesNotContain("temperature", "\"rate\"", "synthetic", "null");
    assertThat(ClientPlan.fromJson(json)).isEqualTo(plan);
  }
}
