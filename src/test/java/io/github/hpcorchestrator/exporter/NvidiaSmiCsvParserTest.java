package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvParserTest {

  private final NvidiaSmiCsvParser parser = new NvidiaSmiCsvParser();

  private static String recorded(String name) {
    return RecordedHttpServer.resource("nvidia-smi/" + name);
  }

  private static OptionalDouble of(double value) {
    return OptionalDouble.of(value);
  }

  @Test
  void oneH100() {
    NvidiaSmiCsvParser.Result result = parser.parse(recorded("h100x1.csv"));

    assertThat(result.malformedLines()).isEmpty();
    assertThat(result.gpus()).containsExactly(new GpuReading(0, "GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b",
        "NVIDIA H100 80GB HBM3", of(87), of(62311), of(81559), of(512.34), of(61)));
  }

  @Test
  void fourA100sOneWithoutPowerReading() {
    NvidiaSmiCsvParser.Result result = parser.parse(recorded("a100x4-power-na.csv"));

    assertThat(result.malformedLines()).isEmpty();
    assertThat(result.gpus()).extracting(GpuReading::index).containsExactly(0, 1, 2, 3);
    assertThat(result.gpus().get(2)).isEqualTo(new GpuReading(2, "GPU-1b2c3d4e-0003-4a5b-8c9d-0e1f2a3b4c5d",
        "NVIDIA A100-SXM4-40GB", of(42), of(17014), of(40960), OptionalDouble.empty(), of(52)));
    assertThat(result.gpus().get(1).powerWatts()).isEqualTo(of(389.07));
  }

  @Test
  void malformedLinesAreSkippedAndReported() {
    NvidiaSmiCsvParser.Result result = parser.parse(recorded("malformed-line.csv"));

    assertThat(result.gpus()).extracting(GpuReading::uuid)
        .containsExactly("GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b");
    assertThat(result.malformedLines()).containsExactly(
        "Unable to determine the device handle for GPU 0000:CB:00.0: Unknown Error",
        "1, GPU-5f3a1c2e-8b4d-4e6f-9a1b-2c3d4e5f6a7c, NVIDIA H100 80GB HBM3, [Not Supported], 0, 81559");
  }

  @Test
  void notSupportedAndNaAreEmptyButKeepTheGpu() {
    NvidiaSmiCsvParser.Result result = parser.parse(
        "0, GPU-abc, Tesla T4, [Not Supported], [N/A], 15360, [N/A], [Not Supported]\r\n\r\n");

    assertThat(result.gpus()).containsExactly(new GpuReading(0, "GPU-abc", "Tesla T4", OptionalDouble.empty(),
        OptionalDouble.empty(), of(15360), OptionalDouble.empty(), OptionalDouble.empty()));
  }

  @Test
  void emptyOutputIsNoGpus() {
    assertThat(parser.parse("").gpus()).isEmpty();
    assertThat(parser.parse("\n").malformedLines()).isEmpty();
  }

  @Test
  void lineWithoutIndexOrUuidIsMalformed() {
    assertThat(parser.parse("x, GPU-abc, T4, 1, 2, 3, 4, 5\n0, , T4, 1, 2, 3, 4, 5\n0, [N/A], T4, 1, 2, 3, 4, 5")
        .malformedLines()).hasSize(3);
  }
}
