package io.github.hpcorchestrator.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;

/**
 * Exports the job's GPUs from nvidia-smi, queried at every scrape. Labels: {@code index},
 * {@code uuid}, {@code name}. {@code gpu_exporter_up} is 0 when nvidia-smi is missing, fails or
 * times out; a value nvidia-smi cannot report leaves its sample out; a line that cannot be read
 * is skipped.
 */
public final class GpuExporter implements MultiCollector {

  /** Where the CSV comes from: nvidia-smi, or a fake in tests. */
  @FunctionalInterface
  public interface Source {
    /**
     * The query's CSV output.
     *
     * @throws IOException if it could not be had
     */
    String query() throws IOException;
  }

  static final String UP = "gpu_exporter_up";
  static final String UTILIZATION = "gpu_utilization_ratio";
  static final String MEMORY_USED = "gpu_memory_used_bytes";
  static final String MEMORY_TOTAL = "gpu_memory_total_bytes";
  static final String POWER = "gpu_power_watts";
  static final String TEMPERATURE = "gpu_temperature_celsius";

  private static final double MIB = 1024 * 1024;

  private final Source source;
  private final GpuSelection selection;
  private final NvidiaSmiCsvParser parser = new NvidiaSmiCsvParser();

  public GpuExporter(Source source, GpuSelection selection) {
    this.source = source;
    this.selection = selection;
  }

  @Override
  public MetricSnapshots collect() {
    Gauges gauges = new Gauges()
        .declare(UP, "1 if nvidia-smi answered, else 0", null)
        .declare(UTILIZATION, "GPU utilization (utilization.gpu), 0 to 1", Unit.RATIO)
        .declare(MEMORY_USED, "GPU memory in use, in bytes", Unit.BYTES)
        .declare(MEMORY_TOTAL, "GPU memory in total, in bytes", Unit.BYTES)
        .declare(POWER, "GPU power draw, in watts", new Unit("watts"))
        .declare(TEMPERATURE, "GPU core temperature, in degrees Celsius", Unit.CELSIUS);
    String output;
    try {
      output = source.query();
    } catch (IOException | RuntimeException e) {
      gauges.set(UP, 0);
      return gauges.build();
    }
    gauges.set(UP, 1);
    for (GpuReading gpu : parser.parse(output).gpus()) {
      if (!selection.selects(gpu)) {
        continue;
      }
      Labels labels = Labels.of("index", Integer.toString(gpu.index()), "uuid", gpu.uuid(), "name", gpu.name());
      set(gauges, UTILIZATION, labels, gpu.utilizationPercent(), percent -> percent / 100);
      set(gauges, MEMORY_USED, labels, gpu.memoryUsedMib(), mib -> mib * MIB);
      set(gauges, MEMORY_TOTAL, labels, gpu.memoryTotalMib(), mib -> mib * MIB);
      set(gauges, POWER, labels, gpu.powerWatts(), DoubleUnaryOperator.identity());
      set(gauges, TEMPERATURE, labels, gpu.temperatureCelsius(), DoubleUnaryOperator.identity());
    }
    return gauges.build();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(UP, UTILIZATION, MEMORY_USED, MEMORY_TOTAL, POWER, TEMPERATURE);
  }

  private static void set(Gauges gauges, String name, Labels labels, OptionalDouble value,
      DoubleUnaryOperator convert) {
    if (value.isPresent()) {
      gauges.set(name, labels, convert.applyAsDouble(value.getAsDouble()));
    }
  }
}
