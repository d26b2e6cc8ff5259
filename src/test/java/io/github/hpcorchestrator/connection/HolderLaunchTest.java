package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HolderLaunchTest {
  @Test
  void holderTakesTheCallsJvmOptionsOnePerLine() {
    String listed = "-XX:TieredStopAtLevel=1\n-XX:SharedArchiveFile=/opt/my tools/hpc-orchestrator.jsa\n"
        + "-Dorg.sqlite.lib.path=/opt/native\n";

    assertThat(HolderLaunch.jvmOptions(listed)).containsExactly("-XX:TieredStopAtLevel=1",
        "-XX:SharedArchiveFile=/opt/my tools/hpc-orchestrator.jsa", "-Dorg.sqlite.lib.path=/opt/native");
  }

  @Test
  void holderTakesOnlyXAndDOptions() {
    assertThat(HolderLaunch.jvmOptions("-jar\nx.jar\n-agentlib:jdwp=transport=dt_socket\n-Xshare:auto\n"))
        .containsExactly("-Xshare:auto");
    assertThat(HolderLaunch.jvmOptions(null)).isEmpty();
  }
}
