package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.config.HpcConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshShellTest {

  @Test
  void writeScriptTakesThePathAsAPositionalArgument() {
    String path = "/tmp/a b/$(touch /tmp/pwned);x'y";

    List<String> argv = SshShell.writeFileArgv(path, 0600);

    assertThat(argv).hasSize(5);
    assertThat(argv.subList(0, 2)).containsExactly("sh", "-c");
    assertThat(argv.get(2)).doesNotContain(path).contains("chmod 0600 -- \"$tmp\"")
        .contains("mv -f -- \"$tmp\" \"$1\"");
    assertThat(argv.subList(3, 5)).containsExactly("sh", path);
    assertThat(ShellQuoting.join(argv)).endsWith(" sh '/tmp/a b/$(touch /tmp/pwned);x'\"'\"'y'");
  }

  @Test
  void writeScriptRejectsImpossibleModes() {
    assertThatThrownBy(() -> SshShell.writeFileArgv("/x", 010000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readScriptSignalsAMissingFileWithItsOwnExitCode() {
    List<String> argv = SshShell.readFileArgv("/x;y");

    assertThat(argv.get(2)).contains("exit " + SshShell.NO_SUCH_FILE_EXIT).contains("cat -- \"$1\"");
    assertThat(argv.get(4)).isEqualTo("/x;y");
  }

  @Test
  void leadingTildeOrHomeExpandsToTheRemoteHome() {
    Path home = Path.of("/home/alice");

    assertThat(SshShell.expandHome("~/.orchestrator/x", () -> home))
        .isEqualTo("/home/alice/.orchestrator/x");
    assertThat(SshShell.expandHome("$HOME/x", () -> home)).isEqualTo("/home/alice/x");
    assertThat(SshShell.expandHome("${HOME}", () -> home)).isEqualTo("/home/alice");
    assertThat(SshShell.expandHome("/abs/~/x", () -> { throw new AssertionError("not asked"); }))
        .isEqualTo("/abs/~/x");
    assertThat(SshShell.expandHome("~bob/x", () -> home)).isEqualTo("~bob/x");
  }

  @Test
  void toStringShowsOnlyUserHostAndPort() {
    HpcConfig config = new HpcConfig("login1", 2222, Optional.of("alice"),
        Optional.of(Path.of("/secret/key")), Path.of("/kh"), HpcConfig.HostKeyChecking.YES);

    try (SshShell shell = new SshShell(config)) {
      assertThat(shell).hasToString("alice@login1:2222");
      assertThat(shell.isLocal()).isFalse();
    }
  }
}
