package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import org.junit.jupiter.api.Test;

class ListenAddressTest {

  @Test
  void hostAndPort() {
    assertThat(ListenAddress.parse("0.0.0.0:9400")).isEqualTo(new ListenAddress("0.0.0.0", 9400));
    assertThat(ListenAddress.parse("[::1]:0")).isEqualTo(new ListenAddress("::1", 0));
    assertThat(ListenAddress.parse(":9400")).isEqualTo(new ListenAddress("0.0.0.0", 9400));
  }

  @Test
  void rejectsWhatIsNotHostColonPort() {
    assertThatThrownBy(() -> ListenAddress.parse("9400")).isInstanceOf(InputException.class)
        .hasMessage("--listen: expected HOST:PORT such as 0.0.0.0:9400, got \"9400\"");
    assertThatThrownBy(() -> ListenAddress.parse("host:70000")).isInstanceOf(InputException.class)
        .hasMessage("--listen: expected a port 0-65535 after ':', got \"host:70000\"");
    assertThatThrownBy(() -> ListenAddress.parse("::1:9400")).isInstanceOf(InputException.class)
        .hasMessage("--listen: put an IPv6 address in brackets, e.g. [::1]:9400, got \"::1:9400\"");
  }
}
