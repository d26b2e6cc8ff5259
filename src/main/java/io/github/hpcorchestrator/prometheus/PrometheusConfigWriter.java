package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link PrometheusConfig} as prometheus.yml text. Keys are Prometheus' snake_case
 * names in a fixed order; empty lists, empty maps, absent optionals and values equal to
 * Prometheus' defaults are left out. The same config always renders to the same text.
 */
public final class PrometheusConfigWriter {

  private final YAMLMapper yaml;

  public PrometheusConfigWriter() {
    // No "---" marker and quotes only where YAML needs them: the file is meant to be read by people
    // too. Number-like strings stay quoted so a label value "1.0" is never read back as a float.
    this.yaml = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
        .build());
  }

  /** The prometheus.yml text for {@code config}, ending with a newline. */
  public String write(PrometheusConfig config) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set("global", global(config.global()));
    if (!config.scrapeConfigs().isEmpty()) {
      ArrayNode jobs = root.putArray("scrape_configs");
      config.scrapeConfigs().forEach(job -> jobs.add(job(job)));
    }
    try {
      return yaml.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      // A tree of plain strings always serialises; reaching this is a bug, not bad input.
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode global(GlobalConfig global) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("scrape_interval", PrometheusDuration.format(global.scrapeInterval()));
    node.put("evaluation_interval", PrometheusDuration.format(global.evaluationInterval()));
    putLabels(node, "external_labels", global.externalLabels());
    return node;
  }

  private static ObjectNode job(ScrapeConfig job) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("job_name", job.jobName());
    job.scrapeInterval().ifPresent(i -> node.put("scrape_interval", PrometheusDuration.format(i)));
    if (!job.metricsPath().equals(ScrapeConfig.DEFAULT_METRICS_PATH)) {
      node.put("metrics_path", job.metricsPath());
    }
    if (!job.scheme().equals(ScrapeConfig.DEFAULT_SCHEME)) {
      node.put("scheme", job.scheme());
    }
    job.auth().ifPresent(auth -> {
      ObjectNode basic = node.putObject("basic_auth");
      basic.put("username", auth.username());
      basic.put("password_file", auth.passwordFile());
      ObjectNode tls = node.putObject("tls_config");
      tls.put("ca_file", auth.caFile());
      tls.put("server_name", auth.serverName());
    });
    if (!job.staticConfigs().isEmpty()) {
      node.set("static_configs", targetGroups(job.staticConfigs()));
    }
    if (!job.fileSdConfigs().isEmpty()) {
      ArrayNode list = node.putArray("file_sd_configs");
      for (FileSdConfig sd : job.fileSdConfigs()) {
        ObjectNode entry = list.addObject();
        strings(entry.putArray("files"), sd.files());
        sd.refreshInterval().ifPresent(i -> entry.put("refresh_interval", PrometheusDuration.format(i)));
      }
    }
    return node;
  }

  /** Target groups as Prometheus reads them in static_configs and file_sd files. */
  static ArrayNode targetGroups(List<StaticConfig> groups) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    for (StaticConfig group : groups) {
      ObjectNode entry = list.addObject();
      strings(entry.putArray("targets"), group.targets());
      putLabels(entry, "labels", group.labels());
    }
    return list;
  }

  private static void putLabels(ObjectNode parent, String key, Map<String, String> labels) {
    if (!labels.isEmpty()) {
      ObjectNode node = parent.putObject(key);
      labels.forEach(node::put);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
