package io.github.hpcorchestrator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator's command line: bad flags are one error line (and the usage), exit 2. */
class LlmSimulatorMainTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = LlmSimulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--ttft=-1ms", "--tpot=fast", "--output-tokens=0", "--error-rate=1.1", "--cut-rate=NaN",
      "--seed=x", "--colour=red", "--ttft"})
  void badFlagsAreOneErrorLineAndExit2(String flag) {
    Run r = run("--listen=127.0.0.1:0", flag);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("error: ").doesNotContain("Exception");
    assertThat(r.err()).contains("usage: ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void withoutListenItSaysSo() {
    assertThat(run("--ttft=1ms").err()).startsWith("error: --listen is required");
    assertThat(run("--listen=nowhere").err()).startsWith("error: --listen: expected HOST:PORT");
  }
}
