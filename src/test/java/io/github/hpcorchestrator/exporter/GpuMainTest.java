package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU exporter's real HTTP server with a fake nvidia-smi, scraped over HTTP, checked by promtool. */
class GpuMainTest {

  @TempDir
  Path dir;

  private String scrape(Map<String, String> environment, String nvidiaSmi) throws Exception {
    try (RunningExporter exporter = GpuMain.launcher(environment).start(
        "--listen", "127.0.0.1:0", "--nvidia-smi", nvidiaSmi, "--timeout", "5s")) {
      return MetricsText.scrape(exporter.metricsUri());
    }
  }

  @Test
  void fourA100sPassPromtool() throws Exception {
    String text = scrape(Map.of(), FakeNvidiaSmi.printing(dir, "a100x4-power-na.csv").toString());

    assertThat(text).contains("gpu_exporter_up 1.0\n");
    assertThat(text.lines().filter(l -> l.startsWith("gpu_power_watts{"))).hasSize(3);
    PromtoolMetrics.assertPasses(text);
  }

  @Test
  void onlyTheJobsGpusFromSlurm() throws Exception {
    String text = scrape(Map.of("SLURM_JOB_GPUS", "1"), FakeNvidiaSmi.printing(dir, "a100x4-power-na.csv").toString());

    assertThat(text.lines().filter(l -> l.startsWith("gpu_temperature_celsius{")))
        .singleElement().asString().startsWith("gpu_temperature_celsius{index=\"1\"");
    PromtoolMetrics.assertPasses(text);
  }

  @Test
  void oneH100AndAMalformedLinePassPromtool() throws Exception {
    PromtoolMetrics.assertPasses(scrape(Map.of(), FakeNvidiaSmi.printing(dir, "h100x1.csv").toString()));
    PromtoolMetrics.assertPasses(scrape(Map.of(), FakeNvidiaSmi.printing(dir, "malformed-line.csv").toString()));
  }

  @Test
  void missingNvidiaSmiIsDownAndPassesPromtool() throws Exception {
    String text = scrape(Map.of(), dir.resolve("no-such-nvidia-smi").toString());

    assertThat(text).isEqualTo("""
        # HELP gpu_exporter_up 1 if nvidia-smi answered, else 0
        # TYPE gpu_exporter_up gauge
        gpu_exporter_up 0.0
        """);
    PromtoolMetrics.assertPasses(text);
  }
}
