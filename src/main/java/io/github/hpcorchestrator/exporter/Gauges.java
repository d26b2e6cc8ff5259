package io.github.hpcorchestrator.exporter;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects gauge samples during one scrape and builds the snapshots. A gauge that got no sample is
 * left out; a second sample with the same labels is dropped rather than failing the scrape. Not
 * thread-safe: one instance per scrape.
 */
final class Gauges {

  private record Family(String help, Unit unit, Map<Labels, Double> samples) {}

  private final Map<String, Family> families = new LinkedHashMap<>();

  /** Declares gauge {@code name}; {@code unit} may be null. Declare before adding samples. */
  Gauges declare(String name, String help, Unit unit) {
    families.put(name, new Family(help, unit, new LinkedHashMap<>()));
    return this;
  }

  /** Adds a sample without labels. */
  void set(String name, double value) {
    set(name, Labels.EMPTY, value);
  }

  /** Adds a sample; {@code name} must have been declared. */
  void set(String name, Labels labels, double value) {
    Family family = families.get(name);
    if (family == null) {
      throw new IllegalArgumentException("undeclared gauge " + name);
    }
    family.samples().putIfAbsent(labels, value);
  }

  /** The declared gauges with at least one sample. */
  MetricSnapshots build() {
    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    families.forEach((name, family) -> {
      if (family.samples().isEmpty()) {
        return;
      }
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(family.help());
      if (family.unit() != null) {
        gauge.unit(family.unit());
      }
      family.samples().forEach((labels, value) ->
          gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
      snapshots.metricSnapshot(gauge.build());
    });
    return snapshots.build();
  }
}
