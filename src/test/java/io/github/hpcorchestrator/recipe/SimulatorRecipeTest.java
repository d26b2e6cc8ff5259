package io.github.hpcorchestrator.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The recipe key {@code simulator:}: its keys, defaults and one-line errors. */
class SimulatorRecipeTest {
  private final RecipeLoader loader = new RecipeLoader();

  @TempDir Path dir;

  private ServiceSpec load(String simulator) throws IOException {
    Path file = Files.writeString(dir.resolve("x.yaml"), "service:\n  name: llm_simulator\n" + simulator);
    return loader.load(file).services().get(0);
  }

  @Test
  void theShippedRecipeLoadsWithItsSettings() {
    ServiceSpec spec = loader.load(Path.of("recipes/services/llm_simulator.yaml")).services().get(0);
    assertThat(spec.simulator()).contains(new SimulatorSpec(Duration.ofMillis(200), Duration.ofMillis(20), 64, 0, 0,
        1));
    assertThat(spec.mainPort()).contains(11434);
  }

  @Test
  void keysLeftOutKeepTheirDefaultsAndZeroDurationsAreAllowed() throws IOException {
    assertThat(load("").simulator()).isEmpty();
    assertThat(load("  simulator: {tpot: 0, error_rate: 0.5, cut_rate: .25, seed: -3}\n").simulator())
        .contains(new SimulatorSpec(Duration.ofMillis(200), Duration.ZERO, 64, 0.5, 0.25, -3));
    assertThat(load("  simulator: {ttft: 2s, output_tokens: 1}\n").simulator().orElseThrow().ttft())
        .isEqualTo(Duration.ofSeconds(2));
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of("{ttft: -5ms}", ":3: service.simulator.ttft: expected a duration of 0 or more like 200ms or 1s,"
            + " found '-5ms'"),
        Arguments.of("{tpot: 5 minutes}", ":3: service.simulator.tpot: expected a duration of 0 or more"),
        Arguments.of("{output_tokens: 0}", ":3: service.simulator.output_tokens: expected an integer >= 1"),
        Arguments.of("{output_tokens: 2000000}", ":3: service.simulator.output_tokens: expected at most 1000000"),
        Arguments.of("{error_rate: 1.5}", ":3: service.simulator.error_rate: expected a fraction from 0 to 1"),
        Arguments.of("{cut_rate: -0.1}", ":3: service.simulator.cut_rate: expected a fraction from 0 to 1"),
        Arguments.of("{ttfb: 1s}", ":3: service.simulator: unknown key 'ttfb', did you mean 'ttft'?"),
        Arguments.of("[1]", ":3: service.simulator: expected a mapping"));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void badSettingsAreOneLineErrorsWithTheKeyPath(String simulator, String message) {
    assertThatThrownBy(() -> load("  simulator: " + simulator + "\n"))
        .isInstanceOf(InputException.class).hasMessageContaining(message);
  }

  @Test
  void onlyTheSimulatorMayHaveSimulatorSettings() throws IOException {
    Path file = Files.writeString(dir.resolve("y.yaml"),
        "service:\n  name: web\n  command: /bin/true\n  simulator: {ttft: 1s}\n");
    assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InputException.class)
        .hasMessageContaining(":4: service.simulator: only allowed when name is llm_simulator");
  }
}
