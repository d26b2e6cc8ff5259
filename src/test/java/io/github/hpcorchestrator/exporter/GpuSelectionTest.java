package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuSelectionTest {

  private final List<GpuReading> fourGpus =
      new NvidiaSmiCsvParser().parse(RecordedHttpServer.resource("nvidia-smi/a100x4-power-na.csv")).gpus();

  private List<Integer> selected(Map<String, String> environment) {
    GpuSelection selection = GpuSelection.fromEnvironment(environment);
    return fourGpus.stream().filter(selection::selects).map(GpuReading::index).toList();
  }

  @Test
  void noVariableSelectsAll() {
    assertThat(selected(Map.of())).containsExactly(0, 1, 2, 3);
    assertThat(GpuSelection.fromEnvironment(Map.of())).hasToString("all GPUs");
  }

  @Test
  void cudaVisibleDevicesByIndex() {
    assertThat(selected(Map.of("CUDA_VISIBLE_DEVICES", "1,3"))).containsExactly(1, 3);
  }

  @Test
  void cudaVisibleDevicesByUuidAndUuidPrefix() {
    assertThat(selected(Map.of("CUDA_VISIBLE_DEVICES",
        "GPU-1b2c3d4e-0002-4a5b-8c9d-0e1f2a3b4c5d, gpu-1b2c3d4e-0004"))).containsExactly(1, 3);
  }

  @Test
  void cudaVisibleDevicesWinsOverSlurm() {
    assertThat(selected(Map.of("CUDA_VISIBLE_DEVICES", "0", "SLURM_JOB_GPUS", "2,3", "SLURM_STEP_GPUS", "2")))
        .containsExactly(0);
  }

  @Test
  void stepGpusWinOverJobGpus() {
    assertThat(selected(Map.of("SLURM_JOB_GPUS", "0-3", "SLURM_STEP_GPUS", "2"))).containsExactly(2);
    assertThat(selected(Map.of("SLURM_JOB_GPUS", "1-2"))).containsExactly(1, 2);
  }

  @Test
  void emptyOrNoDevFilesSelectsNone() {
    assertThat(selected(Map.of("CUDA_VISIBLE_DEVICES", ""))).isEmpty();
    assertThat(selected(Map.of("CUDA_VISIBLE_DEVICES", "NoDevFiles"))).isEmpty();
  }

  @Test
  void migDevicesMatchNoWholeGpu() {
    assertThat(selected(Map.of("CUDA_VISIBLE_DEVICES", "MIG-4b2f7a3e-1c5d-5e6f-8a9b-0c1d2e3f4a5b"))).isEmpty();
  }
}
