package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a monitor's discovery loop does, written as discovery.json into the monitor's folder: which
 * services to look for where, and which file_sd file each scrape job reads.
 *
 * @param backend "local" or "slurm"
 * @param servicesRoot local: the folder of service folders; slurm: the orchestrator's remote folder
 * @param monitorId the Prometheus service's own ID (never its own target)
 * @param session the monitor's session
 * @param intervalSeconds pause between rounds
 * @param outputDir folder of the file_sd files, one {@code <job_name>.json} per selector
 * @param selectors the scrape jobs that follow services
 */
public record DiscoverySpec(
    @JsonProperty("backend") String backend,
    @JsonProperty("services_root") String servicesRoot,
    @JsonProperty("monitor_id") String monitorId,
    @JsonProperty("session") String session,
    @JsonProperty("interval_seconds") int intervalSeconds,
    @JsonProperty("output_dir") String outputDir,
    @JsonProperty("selectors") List<TargetSelector> selectors) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DiscoverySpec {
    selectors = List.copyOf(selectors);
  }

  /** The spec as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a spec from JSON text. */
  public static DiscoverySpec fromJson(String text) throws IOException {
    return JSON.readValue(text, DiscoverySpec.class);
  }

  /** The file_sd file of one scrape job. */
  public String fileOf(TargetSelector selector) {
    return outputDir + "/" + selector.jobName() + ".json";
  }

  /**
   * The target groups of every selector, given the services that run now: one group per service,
   * labelled service_id, service_name, job_id and node.
   */
  public Map<String, List<StaticConfig>> groups(List<DiscoveredService> services) {
    Map<String, List<StaticConfig>> out = new TreeMap<>();
    for (TargetSelector selector : selectors) {
      List<StaticConfig> groups = new ArrayList<>();
      for (DiscoveredService s : services) {
        if (selector.matches(s, session, monitorId)) {
          selector.portOf(s).ifPresent(port -> groups.add(new StaticConfig(List.of(s.host() + ":" + port),
              Map.of("service_id", s.serviceId(), "service_name", s.name(), "job_id", s.jobId(), "node", s.node()))));
        }
      }
      groups.sort(java.util.Comparator.comparing(g -> g.labels().get("service_id")));
      out.put(selector.jobName(), groups);
    }
    return out;
  }
}
