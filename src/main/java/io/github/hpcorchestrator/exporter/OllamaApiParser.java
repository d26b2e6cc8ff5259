package io.github.hpcorchestrator.exporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the answers of Ollama's {@code /api/version}, {@code /api/tags} and {@code /api/ps}
 * leniently: a missing or mistyped field is an empty value, a model without a name is skipped,
 * and a body that is not the expected JSON is an empty result. Never throws. Stateless.
 */
public final class OllamaApiParser {

  /** One model of {@code /api/tags}. */
  public record Model(String name, OptionalLong sizeBytes, Optional<String> family,
      Optional<String> parameterSize, Optional<String> quantizationLevel) {}

  /** One model of {@code /api/ps}, i.e. loaded into memory. */
  public record LoadedModel(String name, OptionalLong sizeBytes, OptionalLong vramBytes,
      OptionalLong contextLength, Optional<Instant> expiresAt) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code version} of an {@code /api/version} answer. */
  public Optional<String> version(String body) {
    return object(body).flatMap(root -> text(root.path("version")));
  }

  /** The models of an {@code /api/tags} answer; empty if the body has no {@code models} list. */
  public Optional<List<Model>> tags(String body) {
    return models(body).map(nodes -> {
      List<Model> models = new ArrayList<>();
      for (JsonNode node : nodes) {
        JsonNode details = node.path("details");
        name(node).ifPresent(name -> models.add(new Model(name, number(node.path("size")),
            text(details.path("family")), text(details.path("parameter_size")),
            text(details.path("quantization_level")))));
      }
      return models;
    });
  }

  /** The loaded models of an {@code /api/ps} answer; empty if the body has no {@code models} list. */
  public Optional<List<LoadedModel>> ps(String body) {
    return models(body).map(nodes -> {
      List<LoadedModel> models = new ArrayList<>();
      for (JsonNode node : nodes) {
        name(node).ifPresent(name -> models.add(new LoadedModel(name, number(node.path("size")),
            number(node.path("size_vram")), number(node.path("context_length")),
            instant(node.path("expires_at")))));
      }
      return models;
    });
  }

  private static Optional<JsonNode> models(String body) {
    return object(body).map(root -> root.path("models")).filter(JsonNode::isArray);
  }

  private static Optional<JsonNode> object(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.isObject() ? Optional.of(root) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  // Ollama lists "name" and "model"; they are the same tag ("llama3.2:latest"), "model" being newer.
  private static Optional<String> name(JsonNode model) {
    return text(model.path("name")).or(() -> text(model.path("model")));
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static OptionalLong number(JsonNode node) {
    return node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0
        ? OptionalLong.of(node.asLong()) : OptionalLong.empty();
  }

  private static Optional<Instant> instant(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      OffsetDateTime time = OffsetDateTime.parse(node.asText());
      // Go's zero time (0001-01-01T00:00:00Z) means "not set".
      return time.getYear() <= 1 ? Optional.empty() : Optional.of(time.toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
