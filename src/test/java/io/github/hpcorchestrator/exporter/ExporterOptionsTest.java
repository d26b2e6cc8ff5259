package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExporterOptionsTest {

  private static ExporterOptions parse(String... args) {
    return ExporterOptions.parse(Set.of("--target"), Set.of("--dry"), args);
  }

  @Test
  void valuesSpacedOrWithEqualsAndFlags() {
    ExporterOptions options = parse("--listen", "0.0.0.0:9400", "--target=http://h:1/a?b=c", "--jvm-metrics");

    assertThat(options.listen()).isEqualTo(new ListenAddress("0.0.0.0", 9400));
    assertThat(options.value("--target")).hasValue("http://h:1/a?b=c");
    assertThat(options.flag("--jvm-metrics")).isTrue();
    assertThat(options.flag("--dry")).isFalse();
    assertThat(options.timeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void timeoutIsAPrometheusDuration() {
    assertThat(parse("--timeout", "1s500ms").timeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> parse("--timeout", "2").timeout(Duration.ofSeconds(2)))
        .isInstanceOf(InputException.class)
        .hasMessage("--timeout: not a Prometheus duration (e.g. 15s, 1m30s): \"2\"");
  }

  @Test
  void rejectsTyposStrayWordsAndRepeats() {
    assertThatThrownBy(() -> parse("--listne", "x")).isInstanceOf(InputException.class)
        .hasMessage("unknown option --listne");
    assertThatThrownBy(() -> parse("--listen", "a:1", "extra")).isInstanceOf(InputException.class)
        .hasMessage("unexpected argument \"extra\"");
    assertThatThrownBy(() -> parse("--target", "a", "--target", "b")).isInstanceOf(InputException.class)
        .hasMessage("--target given twice");
    assertThatThrownBy(() -> parse("--target")).isInstanceOf(InputException.class)
        .hasMessage("--target needs a value");
    assertThatThrownBy(() -> parse("--dry=yes")).isInstanceOf(InputException.class)
        .hasMessage("--dry takes no value");
  }

  @Test
  void listenIsRequired() {
    assertThatThrownBy(() -> parse().listen()).isInstanceOf(InputException.class)
        .hasMessage("--listen is required");
  }
}
