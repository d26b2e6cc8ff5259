package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.testbed.SecondFactorServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login whose server asks a keyboard-interactive question (a second factor), against a real
 * SSH server in this JVM (MINA's SshServer): the testbed's sshd has no PAM to ask one.
 */
class SecondFactorLoginTest {
  private static final String CODE = SecondFactorServer.CODE;
  @TempDir
  Path home;
  private SecondFactorServer server;

  @BeforeEach
  void up() throws Exception {
    server = new SecondFactorServer(home);
  }

  @AfterEach
  void down() throws Exception {
    server.close();
  }

  private SshConnection connection(PromptSource source) throws Exception {
    return connection(source, SshConnection.AUTH_TIMEOUT);
  }

  private SshConnection connection(PromptSource source, Duration authTimeout) throws Exception {
    return new SshConnection(server.hpc("tester", Optional.empty()), home, source, authTimeout);
  }

  @Test
  void thePersonsTimeAnsweringDoesNotCountAgainstTheLoginTimeout() throws Exception {
    // Answered after 2.5 times the login's timeout: a person reading a code off a phone.
    SshConnection c = connection((name, instruction, prompts, echo) -> {
      try {
        Thread.sleep(2500);
      } catch (InterruptedException e) {
        throw new IllegalStateException("interrupted");
      }
      return new String[] {CODE};
    }, Duration.ofSeconds(1));
    try {
      assertThat(c.session().isAuthenticated()).isTrue();
    } finally {
      c.close();
    }
  }

  @Test
  void theSecondFactorIsAskedOnceAndItsAnswerLogsIn() throws Exception {
    List<String> asked = new ArrayList<>();
    SshConnection c = connection((name, instruction, prompts, echo) -> {
      asked.add(prompts[0] + (echo[0] ? " (shown)" : " (hidden)"));
      return new String[] {CODE};
    });
    try {
      assertThat(c.session().isAuthenticated()).isTrue();
    } finally {
      c.close();
    }
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0)).endsWith("(hidden)");
  }

  @Test
  void withoutATerminalTheLoginFailsInOneLineSayingWhy() throws Exception {
    SshConnection c = connection((name, instruction, prompts, echo) -> {
      throw new IllegalStateException(TerminalPrompts.NO_TERMINAL);
    });
    try {
      assertThatThrownBy(c::session).isInstanceOf(OperationFailedException.class)
          .hasMessage(TerminalPrompts.NO_TERMINAL).hasMessageNotContaining("\n");
    } finally {
      c.close();
    }
  }
}
