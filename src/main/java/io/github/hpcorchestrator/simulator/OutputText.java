package io.github.hpcorchestrator.simulator;

/**
 * The simulator's output: token i is one word and a space, so a client that counts words counts
 * the tokens the usage fields report.
 */
final class OutputText {
  private static final String[] WORDS = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing",
      "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et"};

  private OutputText() {}

  /** Output token {@code index} (from 0). */
  static String token(int index) {
    return WORDS[index % WORDS.length] + " ";
  }

  /** The first {@code count} tokens together. */
  static String tokens(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(token(i));
    }
    return text.toString();
  }
}
