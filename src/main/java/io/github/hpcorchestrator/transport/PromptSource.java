package io.github.hpcorchestrator.transport;

/**
 * Where the answers to a keyboard-interactive login prompt (a second factor) come from: the
 * terminal of the call ({@link TerminalPrompts}), or a test's own source.
 */
@FunctionalInterface
public interface PromptSource {
  /**
   * The answers to {@code prompts}, one each; {@code echo[i]} false: the answer must not be shown.
   *
   * @throws IllegalStateException when no one can answer (no terminal), with the line to show
   */
  String[] answer(String name, String instruction, String[] prompts, boolean[] echo);

  /** The terminal of this process (its console); refuses with one line when there is none. */
  static PromptSource terminal() {
    return TerminalPrompts.console();
  }
}
