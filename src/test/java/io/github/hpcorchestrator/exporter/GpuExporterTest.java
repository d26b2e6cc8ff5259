package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuExporterTest {

  private static GpuExporter.Source recorded(String name) {
    return () -> RecordedHttpServer.resource("nvidia-smi/" + name);
  }

  @Test
  void oneH100() {
    GpuExporter exporter = new GpuExporter(recorded("h100x1.csv"), GpuSelection.all());

    assertThat(MetricsText.of(exporter)).isEqualTo("""
        # HELP gpu_exporter_up 1 if nvidia-smi answered, else 0
        # TYPE gpu_exporter_up gauge
        gpu_exporter_up 1.0
        # HELP gpu_memory_total_bytes GPU memory in total, in bytes
        # TYPE gpu_memory_total_bytes gauge
        gpu_memory_total_bytes{index="0",name="NVIDIA H100 80GB HBM3",uuid="GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b"} 8.5520809984E10
        # HELP gpu_memory_used_bytes GPU memory in use, in bytes
        # TYPE gpu_memory_used_bytes gauge
        gpu_memory_used_bytes{index="0",name="NVIDIA H100 80GB HBM3",uuid="GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b"} 6.5337819136E10
        # HELP gpu_power_watts GPU power draw, in watts
        # TYPE gpu_power_watts gauge
        gpu_power_watts{index="0",name="NVIDIA H100 80GB HBM3",uuid="GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b"} 512.34
        # HELP gpu_temperature_celsius GPU core temperature, in degrees Celsius
        # TYPE gpu_temperature_celsius gauge
        gpu_temperature_celsius{index="0",name="NVIDIA H100 80GB HBM3",uuid="GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b"} 61.0
        # HELP gpu_utilization_ratio GPU utilization (utilization.gpu), 0 to 1
        # TYPE gpu_utilization_ratio gauge
        gpu_utilization_ratio{index="0",name="NVIDIA H100 80GB HBM3",uuid="GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b"} 0.87
        """);
  }

  @Test
  void naPowerLeavesOnlyThatSampleOut() {
    GpuExporter exporter = new GpuExporter(recorded("a100x4-power-na.csv"), GpuSelection.all());

    String text = MetricsText.of(exporter);

    assertThat(text.lines().filter(l -> l.startsWith("gpu_power_watts{"))).hasSize(3)
        .noneMatch(l -> l.contains("index=\"2\""));
    assertThat(text.lines().filter(l -> l.startsWith("gpu_temperature_celsius{"))).hasSize(4);
    assertThat(text).contains("gpu_utilization_ratio{index=\"1\",name=\"NVIDIA A100-SXM4-40GB\","
        + "uuid=\"GPU-1b2c3d4e-0002-4a5b-8c9d-0e1f2a3b4c5d\"} 1.0\n");
  }

  @Test
  void onlyTheJobsGpus() {
    GpuExporter exporter = new GpuExporter(recorded("a100x4-power-na.csv"),
        GpuSelection.fromEnvironment(Map.of("CUDA_VISIBLE_DEVICES", "2,3")));

    assertThat(MetricsText.of(exporter).lines().filter(l -> l.startsWith("gpu_memory_total_bytes{")))
        .extracting(l -> l.substring(0, l.indexOf(',')))
        .containsExactly("gpu_memory_total_bytes{index=\"2\"", "gpu_memory_total_bytes{index=\"3\"");
  }

  @Test
  void malformedLineIsSkippedAndTheRestExported() {
    String text = MetricsText.of(new GpuExporter(recorded("malformed-line.csv"), GpuSelection.all()));

    assertThat(text).contains("gpu_exporter_up 1.0\n");
    assertThat(text.lines().filter(l -> l.startsWith("gpu_memory_used_bytes{"))).hasSize(1);
  }

  @Test
  void failingNvidiaSmiIsDown() {
    GpuExporter exporter = new GpuExporter(() -> {
      throw new IOException("Cannot run program \"nvidia-smi\": error=2, No such file or directory");
    }, GpuSelection.all());

    assertThat(MetricsText.of(exporter)).isEqualTo("""
        # HELP gpu_exporter_up 1 if nvidia-smi answered, else 0
        # TYPE gpu_exporter_up gauge
        gpu_exporter_up 0.0
        """);
  }
}
