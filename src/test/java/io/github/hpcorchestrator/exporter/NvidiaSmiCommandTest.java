package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiCommandTest {

  @TempDir
  Path dir;

  @Test
  void argvIsTheQueryWithoutShell() {
    assertThat(new NvidiaSmiCommand("/usr/bin/nvidia-smi", Duration.ofSeconds(5)).argv()).containsExactly(
        "/usr/bin/nvidia-smi",
        "--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu",
        "--format=csv,noheader,nounits");
  }

  @Test
  void returnsWhatItPrinted() throws IOException {
    Path fake = FakeNvidiaSmi.printing(dir, "h100x1.csv");

    String output = new NvidiaSmiCommand(fake.toString(), Duration.ofSeconds(5)).query();

    assertThat(output).isEqualTo(RecordedHttpServer.resource("nvidia-smi/h100x1.csv"));
    assertThat(Files.readAllLines(dir.resolve("args.txt"))).containsExactly(
        "--query-gpu=" + NvidiaSmiCsvParser.QUERY, "--format=csv,noheader,nounits");
  }

  @Test
  void missingExecutableFails() {
    assertThatThrownBy(() -> new NvidiaSmiCommand(dir.resolve("nvidia-smi").toString(), Duration.ofSeconds(5)).query())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot run program");
  }

  @Test
  void nonZeroExitFailsWithItsMessage() throws IOException {
    Path fake = FakeNvidiaSmi.script(dir, """
        echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2
        exit 9""");

    assertThatThrownBy(() -> new NvidiaSmiCommand(fake.toString(), Duration.ofSeconds(5)).query())
        .isInstanceOf(IOException.class)
        .hasMessage(fake + " exited with 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
  }

  @Test
  void hangingNvidiaSmiIsKilledAtTheTimeout() throws IOException {
    // exec: the shell becomes sleep, so killing it leaves nothing behind.
    Path fake = FakeNvidiaSmi.script(dir, "exec sleep 30");

    long start = System.nanoTime();
    assertThatThrownBy(() -> new NvidiaSmiCommand(fake.toString(), Duration.ofMillis(300)).query())
        .isInstanceOf(IOException.class)
        .hasMessage(fake + " did not finish within 300ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
