package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OutputLocationTest {
  private static final Path METRICS = Path.of("metrics");

  @ParameterizedTest
  @CsvSource({
      "up.json, metrics/up.json",
      "sub/up.csv, metrics/sub/up.csv",
      "a/../b.json, metrics/b.json",
      "/tmp/x.json, /tmp/x.json",
      "/etc/../tmp/x.json, /etc/../tmp/x.json"})
  void relativeNamesGoUnderMetricsDirAndAbsoluteOnesAsGiven(String given, String expected) {
    assertThat(OutputLocation.resolve(METRICS, given)).isEqualTo(Path.of(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x.json", "../../../etc/x.json", "a/../../x.json", "..", ".", "a/.."})
  void relativeNamesThatLeaveMetricsDirAreRefused(String given) {
    assertThatThrownBy(() -> OutputLocation.resolve(METRICS, given))
        .isInstanceOf(InputException.class)
        .hasMessage("output file '" + given + "' leaves metrics_dir (metrics): a relative path must stay"
            + " inside it; give an absolute path to write elsewhere");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/"})
  void aNameWithoutAFileIsRefused(String given) {
    assertThatThrownBy(() -> OutputLocation.resolve(METRICS, given))
        .isInstanceOf(InputException.class)
        .hasMessage("output file '" + given + "' names no file");
  }
}
