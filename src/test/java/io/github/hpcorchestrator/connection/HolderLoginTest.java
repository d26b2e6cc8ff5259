package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SecondFactorServer;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.PromptSource;
import io.github.hpcorchestrator.transport.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A held connection's login where it can go wrong: a login node that asks a second factor
 * (keyboard-interactive), relayed by the real holder JVM to the call that started it, and a login
 * that cannot happen at all. The SSH server is
 * MINA's, in this JVM, since the testbed's sshd has no PAM to ask one; commands run as this user.
 */
class HolderLoginTest {
  private static final String CODE = SecondFactorServer.CODE;
  @TempDir
  Path dir;
  private SecondFactorServer server;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-deadline");
    t.setDaemon(true);
    return t;
  });
  private Path state;

  @BeforeEach
  void up() throws Exception {
    server = new SecondFactorServer(dir);
    state = dir.resolve("state");
  }

  @AfterEach
  void down() throws Exception {
    Holders.disconnect(state);
    timer.shutdownNow();
    server.close();
  }

  private HpcConfig hpc() throws Exception {
    return hpc(Optional.empty());
  }

  private HpcConfig hpc(Optional<Path> key) throws Exception {
    return server.hpc(System.getProperty("user.name"), key);
  }

  @Test
  void theStartingCallAnswersTheHoldersPromptOnceAndLaterCallsUseTheHeldLogin() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    PromptSource terminal = (name, instruction, prompts, echo) -> {
      asked.add(prompts[0] + (echo[0] ? " (shown)" : " (hidden)"));
      return new String[] {CODE};
    };
    HpcConfig hpc = hpc();

    assertThat(Holders.startOrFind(hpc, state, timer, terminal)).isPresent();

    assertThat(asked).hasSize(1);
    assertThat(asked.get(0)).endsWith("(hidden)");
    PromptSource never = (name, instruction, prompts, echo) -> {
      throw new AssertionError("asked again: " + prompts[0]);
    };
    assertThat(Holders.startOrFind(hpc, state, timer, never)).isPresent();
    try (Shell held = HeldShell.forConfig(hpc, state)) {
      CommandResult r = held.run(List.of("echo", "through the held login"), Shell.SHORT_TIMEOUT);
      assertThat(r.stdout()).isEqualTo("through the held login\n");
    }
    assertThat(server.logins()).isEqualTo(1);
    assertThat(asked).hasSize(1);
    assertThat(HolderFolder.at(state).prompt()).doesNotExist();
    // The answer went over the socket only: neither the holder's log nor its folder has it.
    try (var files = Files.list(HolderFolder.at(state).dir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).doesNotContain(CODE);
      }
    }
  }

  @Test
  void aStartingCallWithoutATerminalFailsWithTheHoldersLineAfterOneLoginAttempt() throws Exception {
    PromptSource none = (name, instruction, prompts, echo) -> {
      throw new IllegalStateException("no terminal here to ask on");
    };

    assertThatThrownBy(() -> Holders.startOrFind(hpc(), state, timer, none))
        .isInstanceOf(OperationFailedException.class).hasMessage("no terminal here to ask on");

    HolderFolder folder = HolderFolder.at(state);
    assertThat(Files.readString(folder.log())).contains("holder ends: no terminal here to ask on");
    assertThat(folder.socket()).doesNotExist();
    assertThat(folder.prompt()).doesNotExist();
    assertThat(server.logins()).isEqualTo(0);
    // Not a new holder, nor a login of the call's own: a site that locks accounts counts each.
    assertThat(server.sessions()).isEqualTo(1);
  }

  @Test
  void aWrongAnswerIsAskedAgainInTheSameTerminal() throws Exception {
    List<String> given = new CopyOnWriteArrayList<>(List.of("000000", CODE));
    AtomicInteger asked = new AtomicInteger();
    PromptSource typo = (name, instruction, prompts, echo) -> {
      asked.incrementAndGet();
      return new String[] {given.remove(0)};
    };

    assertThat(Holders.startOrFind(hpc(), state, timer, typo)).isPresent();

    assertThat(asked).hasValue(2);
    assertThat(server.logins()).isEqualTo(1);
    assertThat(server.sessions()).isEqualTo(1);
  }

  @Test
  void aKeyFileTheHolderCannotReadIsBadInputForTheWaitingCall() throws Exception {
    Path missing = dir.resolve("no-such-key");

    assertThatThrownBy(() -> Holders.startOrFind(hpc(Optional.of(missing)), state, timer, (n, i, p, e) -> {
      throw new AssertionError("no login should get as far as a prompt");
    })).isInstanceOf(InputException.class).hasMessage("hpc.key_filename: cannot read " + missing);

    assertThat(server.sessions()).isEqualTo(0);
  }

  @Test
  void callsStartingTogetherStartOneHolderJvmNotOneEach() throws Exception {
    HpcConfig hpc = hpc();
    PromptSource terminal = (name, instruction, prompts, echo) -> new String[] {CODE};
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      // After the first call's launcher has started, before its holder has recorded itself.
      Await.until("the first call's launcher", java.time.Duration.ofSeconds(10),
          () -> Files.exists(HolderFolder.at(state).starting()));
      return Holders.startOrFind(hpc, state, timer, terminal);
    });

    assertThat(Holders.startOrFind(hpc, state, timer, terminal)).isPresent();
    assertThat(second.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPresent();

    assertThat(Files.readString(HolderFolder.at(state).log())).doesNotContain("another holder runs");
    assertThat(server.sessions()).isEqualTo(1);
  }
}
