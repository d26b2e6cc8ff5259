package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's rehearsal of a holder's start, against the SSH server it runs in this JVM. */
class LoginRehearsalTest {
  @Test
  void aRehearsalLogsInRunsAndForwardsThenRunsTheCli(@TempDir Path dir) {
    // Each step throws when it fails: the login, 'true' through the remote shell, a byte through
    // the forward, the CLI warm-up's exit codes.
    assertThatCode(() -> LoginRehearsal.rehearse(dir)).doesNotThrowAnyException();

    assertThat(dir.resolve("known_hosts")).content().startsWith("[127.0.0.1]:").contains(" ssh-ed25519 ");
  }
}
