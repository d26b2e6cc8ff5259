package io.github.hpcorchestrator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** The simulator's one model as Ollama's /api/tags, OpenAI's /v1/models and /api/pull show it. */
final class Catalog {
  /** The endpoints besides the generation ones. */
  static final Set<String> PATHS = Set.of("/", "/api/tags", "/api/ps", "/api/version", "/v1/models", "/api/pull");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST = "sha256:" + "0".repeat(64);
  private static final long SIZE = 1024;

  private Catalog() {}

  static byte[] tags() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode model = root.putArray("models").addObject();
    model.put("name", GenerationRequest.MODEL + ":latest").put("model", GenerationRequest.MODEL + ":latest")
        .put("modified_at", "2024-01-01T00:00:00Z").put("size", SIZE).put("digest", DIGEST);
    model.putObject("details").put("format", "simulated").put("family", "llm_simulator")
        .put("parameter_size", "0B").put("quantization_level", "none");
    return bytes(root);
  }

  /** Ollama's /api/ps: the one model, always loaded, never expiring (so the ollama exporter sees it). */
  static byte[] running() {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("models").addObject().put("name", GenerationRequest.MODEL + ":latest")
        .put("model", GenerationRequest.MODEL + ":latest").put("size", SIZE).put("digest", DIGEST)
        .put("expires_at", "2999-01-01T00:00:00Z").put("size_vram", 0).put("context_length", 4096);
    return bytes(root);
  }

  /** Ollama's /api/version, marked as the simulator's. */
  static byte[] version() {
    return bytes(JSON.createObjectNode().put("version", "0.0.0-llm-simulator"));
  }

  static byte[] models() {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    root.putArray("data").addObject().put("id", GenerationRequest.MODEL).put("object", "model")
        .put("created", 0).put("owned_by", "llm_simulator");
    return bytes(root);
  }

  /** Ollama's pull progress: streamed, its status lines; else just "success" (there is nothing to fetch). */
  static List<ObjectNode> pullStatus(boolean stream) {
    ObjectNode success = JSON.createObjectNode().put("status", "success");
    if (!stream) {
      return List.of(success);
    }
    return List.of(JSON.createObjectNode().put("status", "pulling manifest"),
        JSON.createObjectNode().put("status", "pulling " + DIGEST.substring(7, 19)).put("digest", DIGEST)
            .put("total", SIZE).put("completed", SIZE),
        JSON.createObjectNode().put("status", "verifying sha256 digest"),
        JSON.createObjectNode().put("status", "writing manifest"), success);
  }

  private static byte[] bytes(ObjectNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }
}
