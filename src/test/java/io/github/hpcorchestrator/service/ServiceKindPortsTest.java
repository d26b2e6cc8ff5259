package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.prometheus.PromtoolCheck;
import io.github.hpcorchestrator.recipe.RecipeLoader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The recipe loader's list of names with a port of their own must match the kinds: a recipe
 * without ports is checked for port uses (health check, probe, {port}) exactly when its kind has none.
 */
class ServiceKindPortsTest {

  @Test
  void namesWithADefaultPortAreExactlyTheKindsWithOne() {
    List<ServiceKind> kinds = List.of(new PrometheusKind(new PromtoolCheck(Optional.empty(), Duration.ofSeconds(5))),
        new NodeExporterKind(), new OllamaKind(), new LlmSimulatorKind(), new GenericKind());
    assertThat(kinds.stream().filter(k -> k.defaultPort() > 0).map(ServiceKind::name).collect(Collectors.toSet()))
        .isEqualTo(RecipeLoader.NAMES_WITH_DEFAULT_PORT);
    assertThat(new GenericKind().defaultPort()).isZero();
  }
}
