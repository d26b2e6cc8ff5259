package io.github.hpcorchestrator.transport;

import java.io.Console;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.session.ClientSession;

/**
 * Answers a login's keyboard-interactive prompts (a second factor) from a {@link PromptSource},
 * and remembers why it could not, so the login's failure says so in one line. Answers are
 * never logged.
 */
final class TerminalPrompts implements UserInteraction {
  /** The line shown when a prompt came but there is no terminal to ask on. */
  static final String NO_TERMINAL = "the login node asks for a second factor (keyboard-interactive), "
      + "which needs a terminal: run this call in one";

  private final PromptSource source;
  private volatile String refusal;
  private final AtomicLong answeredNanos = new AtomicLong();
  private final AtomicLong answeringSince = new AtomicLong(); // 0: not answering now

  TerminalPrompts(PromptSource source) {
    this.source = source;
  }

  /** The terminal of this process (System.console()); refuses when there is none. */
  static PromptSource console() {
    return (name, instruction, prompts, echo) -> {
      Console c = System.console();
      if (c == null) {
        throw new IllegalStateException(NO_TERMINAL);
      }
      if (!name.isBlank()) {
        c.printf("%s%n", name);
      }
      if (!instruction.isBlank()) {
        c.printf("%s%n", instruction);
      }
      String[] answers = new String[prompts.length];
      for (int i = 0; i < prompts.length; i++) {
        answers[i] = echo[i] ? c.readLine("%s", prompts[i]) : new String(c.readPassword("%s", prompts[i]));
      }
      return answers;
    };
  }

  /** The time spent answering prompts so far, the answer going on now included. */
  long answeringNanos() {
    long since = answeringSince.get();
    return answeredNanos.get() + (since == 0 ? 0 : System.nanoTime() - since);
  }

  /** Why the last prompt went unanswered, or null. */
  String refusal() {
    return refusal;
  }

  @Override
  public String[] interactive(ClientSession session, String name, String instruction, String lang,
      String[] prompt, boolean[] echo) {
    if (prompt.length == 0) {
      return new String[0]; // an instruction only: nothing to answer
    }
    long since = System.nanoTime();
    answeringSince.set(since);
    try {
      return source.answer(name, instruction, prompt, echo);
    } catch (IllegalStateException e) {
      refusal = e.getMessage();
      return null; // MINA then gives up this method, and the login fails
    } finally {
      answeredNanos.addAndGet(System.nanoTime() - since);
      answeringSince.set(0);
    }
  }

  @Override
  public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
    return null; // a password change at login is not something a CLI call should answer
  }
}
