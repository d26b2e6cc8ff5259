package io.github.hpcorchestrator.recipe;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Picks the closest allowed word for a misspelt one, so errors can say "did you mean ...?". */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code word} by edit distance (case-insensitive, a swap of two
   * neighbours counts as one edit) or else one it abbreviates or extends; empty when none is a
   * plausible typo.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // Beyond about a third of the word an "edit" is a different word, and the hint would mislead.
    int limit = Math.max(1, (word.length() + 1) / 3);
    if (best != null && bestDistance <= limit) {
      return Optional.of(best);
    }
    // Abbreviated or spelt-out forms ("memory" for "mem", "env" for "environment") are far apart
    // by edits but obviously meant; three letters in common is enough to say so.
    String lower = word.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      String other = candidate.toLowerCase(Locale.ROOT);
      if (Math.min(lower.length(), other.length()) >= 3
          && (lower.startsWith(other) || other.startsWith(lower))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
