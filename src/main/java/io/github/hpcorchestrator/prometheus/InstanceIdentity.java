package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Which monitor a Prometheus is: the orchestrator writes its service ID into every monitor's
 * prometheus.yml as an external label, and {@code /api/v1/status/config} gives it back in one call.
 * An external label changes no query answer; it only travels with federation and remote writes.
 */
public final class InstanceIdentity {
  /** The external label that carries the monitor's service ID. */
  public static final String LABEL = "hpc_orchestrator_monitor";
  /** The largest config answer read for the check: the label is in the first lines of the file. */
  public static final long MAX_CONFIG_BYTES = 1024L * 1024;

  /** What the check found. */
  public enum Verdict {
    /** The Prometheus carries the expected ID. */
    SAME,
    /** It carries another monitor's ID. */
    OTHER,
    /** It carries no ID: started before monitors were marked, or not started by this tool. */
    NO_MARKER,
    /** It could not be asked (not reachable, refused, no API answer). */
    UNKNOWN
  }

  /**
   * One check's outcome.
   *
   * @param verdict what was found
   * @param found the ID it carries (OTHER), else empty
   * @param why for UNKNOWN, the one line that says why; else empty
   */
  public record Check(Verdict verdict, String found, String why) {}

  private static final YAMLMapper YAML = new YAMLMapper();

  private InstanceIdentity() {
  }

  /** The external labels every monitor's prometheus.yml carries for {@code serviceId}. */
  public static Map<String, String> labels(String serviceId) {
    return Map.of(LABEL, serviceId);
  }

  /** Asks the Prometheus behind {@code client} (with its limits and credentials) whether it is {@code serviceId}. */
  public static Check check(PrometheusClient client, String serviceId) {
    String yaml;
    try {
      yaml = client.getJson("/api/v1/status/config", Map.of()).path("data").path("yaml").asText("");
    } catch (OperationFailedException e) {
      return new Check(Verdict.UNKNOWN, "", String.valueOf(e.getMessage()));
    }
    return judge(yaml, serviceId);
  }

  /** The verdict on a loaded config's YAML text (the {@code data.yaml} of {@code /api/v1/status/config}). */
  public static Check judge(String configYaml, String serviceId) {
    Optional<String> marker = marker(configYaml);
    if (marker.isEmpty()) {
      return new Check(Verdict.NO_MARKER, "", "");
    }
    return marker.get().equals(serviceId) ? new Check(Verdict.SAME, "", "") : new Check(Verdict.OTHER, marker.get(), "");
  }

  /** The service ID in {@code global.external_labels}, if the config carries one. */
  static Optional<String> marker(String configYaml) {
    try {
      JsonNode root = YAML.readTree(configYaml);
      JsonNode value = root == null ? null : root.path("global").path("external_labels").path(LABEL);
      if (value == null) {
        return Optional.empty();
      }
      return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not YAML: no marker either way
    }
  }
}
