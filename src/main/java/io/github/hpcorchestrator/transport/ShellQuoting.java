package io.github.hpcorchestrator.transport;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where strings become shell words: single-quoted, so nothing inside is expanded
 * or interpreted. Everything that reaches a shell (job scripts, remote exec) goes through here.
 */
public final class ShellQuoting {
  private ShellQuoting() {}

  /** One shell word that stands for exactly {@code value}. */
  public static String quote(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell word cannot contain NUL");
    }
    if (!value.isEmpty() && value.chars().allMatch(ShellQuoting::isPlain)) {
      return value;
    }
    return "'" + value.replace("'", "'\"'\"'") + "'";
  }

  /** The words of {@code argv}, each quoted, separated by spaces. */
  public static String join(List<String> argv) {
    return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }

  private static boolean isPlain(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == ',' || c == '@'
        || c == '+';
  }
}
