package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.exporter.OllamaApiParser.LoadedModel;
import io.github.hpcorchestrator.exporter.OllamaApiParser.Model;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OllamaApiParserTest {

  private final OllamaApiParser parser = new OllamaApiParser();

  @Test
  void readsTheDocumentedResponses() {
    assertThat(parser.version(RecordedHttpServer.resource("ollama/version.json"))).hasValue("0.5.7");
    assertThat(parser.tags(RecordedHttpServer.resource("ollama/tags.json")).orElseThrow()).containsExactly(
        new Model("deepseek-r1:latest", OptionalLong.of(4683075271L), Optional.of("qwen2"), Optional.of("7.6B"),
            Optional.of("Q4_K_M")),
        new Model("llama3.2:latest", OptionalLong.of(2019393189L), Optional.of("llama"), Optional.of("3.2B"),
            Optional.of("Q4_K_M")));
    assertThat(parser.ps(RecordedHttpServer.resource("ollama/ps.json")).orElseThrow()).containsExactly(
        new LoadedModel("llama3.2:latest", OptionalLong.of(3825205248L), OptionalLong.of(3825205248L),
            OptionalLong.of(4096), Optional.of(Instant.parse("2025-01-28T21:38:31.837530Z"))));
  }

  @Test
  void missingFieldsAreEmptyAndNamelessModelsSkipped() {
    assertThat(parser.tags(RecordedHttpServer.resource("ollama/tags-partial.json")).orElseThrow()).containsExactly(
        new Model("deepseek-r1:latest", OptionalLong.of(4683075271L), Optional.empty(), Optional.empty(),
            Optional.empty()),
        new Model("llama3.2:latest", OptionalLong.empty(), Optional.of("llama"), Optional.empty(), Optional.empty()));
    assertThat(parser.ps(RecordedHttpServer.resource("ollama/ps-partial.json")).orElseThrow()).containsExactly(
        new LoadedModel("llama3.2:latest", OptionalLong.of(3825205248L), OptionalLong.empty(), OptionalLong.empty(),
            Optional.empty()),
        new LoadedModel("deepseek-r1:latest", OptionalLong.empty(), OptionalLong.of(0), OptionalLong.empty(),
            Optional.empty()));
  }

  @Test
  void emptyListsAreListsNotFailures() {
    assertThat(parser.tags("{\"models\":[]}")).hasValue(List.of());
    assertThat(parser.ps("{\"models\":[]}")).hasValue(List.of());
  }

  @Test
  void wrongTypesAreEmpty() {
    assertThat(parser.ps("""
        {"models":[{"name":"m","size":"big","size_vram":-1,"context_length":1.5,"expires_at":"tomorrow"}]}
        """).orElseThrow()).containsExactly(
        new LoadedModel("m", OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty()));
  }

  @Test
  void anythingButTheExpectedJsonIsEmpty() {
    assertThat(parser.version("")).isEmpty();
    assertThat(parser.version("not json")).isEmpty();
    assertThat(parser.version("{\"version\": 5}")).isEmpty();
    assertThat(parser.tags("[]")).isEmpty();
    assertThat(parser.tags("{\"models\": {}}")).isEmpty();
    assertThat(parser.ps("{\"error\": \"unauthorized\"}")).isEmpty();
  }
}
