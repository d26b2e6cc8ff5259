package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientResultsTest {
  @Test
  void progressInWords() {
    String json = "{\"state\": \"running\", \"planned\": 100, \"done\": 42, \"errors\": 1, \"current_rate\": 3.94,"
        + " \"p50_ttft\": 0.2013, \"started_at\": \"2026-12-02T13:00:00Z\"}";
    assertThat(ClientResults.words(json.getBytes(StandardCharsets.UTF_8)))
        .contains("42/100 requests, 3.9/s, p50 TTFT 0.201 s, 1 errors (running)");
  }

  @Test
  void aHalfWrittenProgressFileSaysNothing() {
    assertThat(ClientResults.words("{\"state\": \"runn".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(ClientResults.words("{\"planned\": 5, \"done\": 0, \"errors\": 0, \"current_rate\": 0}"
        .getBytes(StandardCharsets.UTF_8))).contains("0/5 requests, 0.0/s, 0 errors");
  }
}
