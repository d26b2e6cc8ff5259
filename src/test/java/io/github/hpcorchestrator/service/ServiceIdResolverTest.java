package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ServiceIdResolverTest {
  private static final List<String> KNOWN = List.of("node_exporter_6355d49f", "prometheus_0a1b2c3d");

  @Test
  void fullIdResolvesToItself() {
    assertThat(ServiceIdResolver.resolve("prometheus_0a1b2c3d", KNOWN)).isEqualTo("prometheus_0a1b2c3d");
  }

  @Test
  void uniqueHexPartResolvesToItsFullId() {
    assertThat(ServiceIdResolver.resolve("6355d49f", KNOWN)).isEqualTo("node_exporter_6355d49f");
    assertThat(ServiceIdResolver.resolve("0a1b2c3d", KNOWN)).isEqualTo("prometheus_0a1b2c3d");
  }

  @Test
  void ambiguousHexPartListsEveryCandidate() {
    List<String> known = List.of("prometheus_6355d49f", "node_exporter_6355d49f", "ollama_11111111");

    assertThatThrownBy(() -> ServiceIdResolver.resolve("6355d49f", known))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("service ID '6355d49f' is ambiguous: it matches node_exporter_6355d49f,"
            + " prometheus_6355d49f; give the full ID");
  }

  @Test
  void unknownFullIdIsAnInputError() {
    assertThatThrownBy(() -> ServiceIdResolver.resolve("prometheus_ffffffff", KNOWN))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("no service with ID 'prometheus_ffffffff' (see --status for the services known)");
  }

  @Test
  void unknownHexPartIsAnInputError() {
    assertThatThrownBy(() -> ServiceIdResolver.resolve("deadbeef", KNOWN))
        .isInstanceOf(InputException.class)
        .hasMessage("no service with ID 'deadbeef' (see --status for the services known)");
  }

  @Test
  void garbageIsRejectedWithTheExpectedForm() {
    assertThatThrownBy(() -> ServiceIdResolver.resolve("abc;rm -rf /", KNOWN))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("'abc;rm -rf /' is not a service ID: expected <name>_<8 hex>"
            + " (e.g. prometheus_6355d49f) or its 8 hex digits");
  }

  @Test
  void controlCharactersAreShownEscaped() {
    assertThatThrownBy(() -> ServiceIdResolver.resolve("a\nb\u001b[2J", KNOWN))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("'a\\x0ab\\x1b[2J' is not a service ID")
        .hasMessageNotContaining("\n");
  }

  /** Prefixes, substrings and name parts never select a service, even when only one would fit. */
  @ParameterizedTest
  @ValueSource(strings = {"6355d49", "6355d4", "355d49f", "node_exporter", "node_exporter_", "exporter_6355d49f",
      "node_exporter_6355d49", "NODE_EXPORTER_6355D49F", "6355D49F", " 6355d49f", "6355d49f ", "", "prometheus"})
  void neverMatchesAPrefixOrSubstring(String typed) {
    assertThatThrownBy(() -> ServiceIdResolver.resolve(typed, KNOWN))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
  }

  @Test
  void hexPartOfAnIdThatIsNotWellFormedDoesNotMatch() {
    // A discovered folder name that only ends in the hex part is not a service ID.
    assertThatThrownBy(() -> ServiceIdResolver.resolve("6355d49f", List.of("x6355d49f", "_6355d49f")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("no service with ID '6355d49f'");
  }

  @Test
  void duplicatesInTheKnownListAreNotAmbiguous() {
    assertThat(ServiceIdResolver.resolve("6355d49f", List.of("node_exporter_6355d49f", "node_exporter_6355d49f")))
        .isEqualTo("node_exporter_6355d49f");
  }
}
