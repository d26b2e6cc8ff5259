package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ServiceIdTest {

  /** Hands out fixed bytes, so generated IDs are known. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedRandom(int... values) {
      bytes = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        bytes[i] = (byte) values[i];
      }
    }

    @Override
    public void nextBytes(byte[] out) {
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }

  @Test
  void generatesNameUnderscoreEightLowercaseHex() {
    ServiceId ids = new ServiceId(new FixedRandom(0x63, 0x55, 0xd4, 0x9f));

    assertThat(ids.generate("prometheus")).isEqualTo("prometheus_6355d49f");
    assertThat(ids.generate("node_exporter")).isEqualTo("node_exporter_6355d49f");
  }

  @Test
  void keepsLeadingZeros() {
    assertThat(new ServiceId(new FixedRandom(0, 1, 0, 0x0a)).generate("x")).isEqualTo("x_0001000a");
  }

  @Test
  void realRandomIdsMatchTheFullPattern() {
    ServiceId ids = new ServiceId(new SecureRandom());
    for (int i = 0; i < 100; i++) {
      String id = ids.generate("node_exporter");
      assertThat(id).matches(ServiceId.FULL).startsWith("node_exporter_");
      assertThat(ServiceId.hexPart(id)).matches(ServiceId.HEX);
    }
  }

  @Test
  void splitsHexPartAndNamePart() {
    assertThat(ServiceId.hexPart("prometheus_6355d49f")).isEqualTo("6355d49f");
    assertThat(ServiceId.namePart("prometheus_6355d49f")).isEqualTo("prometheus");
    assertThat(ServiceId.hexPart("node_exporter_0a1b2c3d")).isEqualTo("0a1b2c3d");
    assertThat(ServiceId.namePart("node_exporter_0a1b2c3d")).isEqualTo("node_exporter");
  }

  @Test
  void patternsAcceptOnlyTheDocumentedForms() {
    assertThat(ServiceId.FULL.matcher("prometheus_6355d49f").matches()).isTrue();
    assertThat(ServiceId.FULL.matcher("my-svc_6355d49f").matches()).isTrue();
    assertThat(ServiceId.FULL.matcher("prometheus_6355D49F").matches()).isFalse();
    assertThat(ServiceId.FULL.matcher("prometheus_6355d49").matches()).isFalse();
    assertThat(ServiceId.FULL.matcher("1prometheus_6355d49f").matches()).isFalse();
    assertThat(ServiceId.FULL.matcher("_6355d49f").matches()).isFalse();
    assertThat(ServiceId.FULL.matcher("a;b_6355d49f").matches()).isFalse();
    assertThat(ServiceId.HEX.matcher("6355d49f").matches()).isTrue();
    assertThat(ServiceId.HEX.matcher("6355d49").matches()).isFalse();
    assertThat(ServiceId.HEX.matcher("6355d49g").matches()).isFalse();
  }
}
