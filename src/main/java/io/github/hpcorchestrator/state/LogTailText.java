package io.github.hpcorchestrator.state;

import java.util.List;

/** A kept log tail as one bounded text: at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE} characters. */
final class LogTailText {
  static final int MAX_LINES = 20;
  static final int MAX_LINE = 1000;

  private LogTailText() {
  }

  /** The lines as one text, each cut to {@value #MAX_LINE} characters, the last {@value #MAX_LINES} only. */
  static String join(List<String> lines) {
    List<String> last = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
    return String.join("\n", last.stream()
        .map(l -> l.replace("\n", " ")).map(l -> l.length() > MAX_LINE ? l.substring(0, MAX_LINE) : l).toList());
  }

  /** The lines of a text {@link #join} made; none for an empty one. */
  static List<String> split(String text) {
    return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }
}
