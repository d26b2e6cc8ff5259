package io.github.hpcorchestrator.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands SLURM host lists such as {@code node[01-03,7]}, {@code a1,b[2-3]} or {@code gpu-[1-2]-x}
 * into single node names, in order. Zero padding of a range is kept ({@code [08-10]} gives 08, 09,
 * 10). Several bracket groups in one name expand to their cartesian product.
 */
public final class NodeListExpander {
  /** Upper bound on names from one list, so a malformed range cannot exhaust memory. */
  static final int MAX_NODES = 100_000;

  private NodeListExpander() {}

  /** The node names in {@code hostlist}; empty for an empty list or SLURM's "(null)"/"None assigned". */
  public static List<String> expand(String hostlist) {
    String text = hostlist == null ? "" : hostlist.trim();
    List<String> out = new ArrayList<>();
    if (text.isEmpty() || text.equals("(null)") || text.startsWith("None")) {
      return out;
    }
    for (String part : splitTopLevel(text)) {
      if (!part.isEmpty()) {
        expandOne(part, out);
      }
    }
    return out;
  }

  /** Splits at commas that are not inside brackets. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
        if (depth < 0) {
          throw new IllegalArgumentException("unbalanced ']' in host list: " + text);
        }
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced '[' in host list: " + text);
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static void expandOne(String pattern, List<String> out) {
    int open = pattern.indexOf('[');
    if (open < 0) {
      add(out, pattern);
      return;
    }
    int close = pattern.indexOf(']', open);
    String prefix = pattern.substring(0, open);
    String suffix = pattern.substring(close + 1);
    for (String range : pattern.substring(open + 1, close).split(",")) {
      for (String value : expandRange(range.trim(), pattern)) {
        // The suffix may hold further bracket groups.
        expandOne(prefix + value + suffix, out);
      }
    }
  }

  private static List<String> expandRange(String range, String pattern) {
    int dash = range.indexOf('-');
    if (dash < 0) {
      requireDigits(range, pattern);
      return List.of(range);
    }
    String lo = range.substring(0, dash);
    String hi = range.substring(dash + 1);
    requireDigits(lo, pattern);
    requireDigits(hi, pattern);
    long from = Long.parseLong(lo);
    long to = Long.parseLong(hi);
    if (to < from || to - from >= MAX_NODES) {
      throw new IllegalArgumentException("bad range " + range + " in host list: " + pattern);
    }
    int width = lo.length();
    List<String> values = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      values.add(lo.startsWith("0") && lo.length() > 1 ? String.format("%0" + width + "d", n) : Long.toString(n));
    }
    return values;
  }

  private static void requireDigits(String value, String pattern) {
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("bad range value '" + value + "' in host list: " + pattern);
    }
  }

  private static void add(List<String> out, String name) {
    if (out.size() >= MAX_NODES) {
      throw new IllegalArgumentException("host list expands to more than " + MAX_NODES + " nodes");
    }
    out.add(name);
  }
}
