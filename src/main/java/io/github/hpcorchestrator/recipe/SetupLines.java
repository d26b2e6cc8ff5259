package io.github.hpcorchestrator.recipe;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code setup:} (a recipe's service, the config's {@code slurm:}): shell lines a job runs
 * as written before anything else, so each must be one line of text without NUL.
 */
public final class SetupLines {
  private SetupLines() {}

  /** The lines of {@code value}, which must be a list of single-line strings (or empty). */
  public static List<String> of(YamlValue value) {
    if (value.isNull()) {
      return List.of();
    }
    if (!value.isList()) {
      throw value.error("expected a list of shell lines (strings), found " + value.kind());
    }
    List<String> lines = new ArrayList<>();
    for (YamlValue item : value.asList()) {
      if (!item.isScalar()) {
        throw item.error("expected a shell line (a string), found " + item.kind());
      }
      lines.add(item.asLine());
    }
    return lines;
  }
}
