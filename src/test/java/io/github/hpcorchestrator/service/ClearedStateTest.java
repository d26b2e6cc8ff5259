package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What --clear-state says it freed. */
class ClearedStateTest {

  @Test
  void freedSpaceReadsAsBytesOrBinaryUnits() {
    assertThat(new ClearedState(0, 0, 0).freedText()).isEqualTo("0 B");
    assertThat(new ClearedState(1, 1, 1023).freedText()).isEqualTo("1023 B");
    assertThat(new ClearedState(1, 1, 1536).freedText()).isEqualTo("1.5 KiB");
    assertThat(new ClearedState(2, 2, 5L * 1024 * 1024 * 1024).summary())
        .isEqualTo("Forgot 2 finished service(s); removed 2 service folder(s), freed 5.0 GiB.");
  }
}
