package io.github.hpcorchestrator.cluster;

import java.util.List;

/**
 * The setup lines of a job as the block both job templates run first. The lines are the user's
 * own shell, written on purpose ({@code module load Apptainer}): they go in unquoted, the one place
 * where a job script carries text from a recipe or config as code.
 */
final class SetupBlock {
  private SetupBlock() {}

  /** The block for {@code lines}; a comment alone when there are none. */
  static String render(List<String> lines) {
    if (lines.isEmpty()) {
      return "# No setup lines (slurm.setup in the config, setup in the recipe).";
    }
    for (String line : lines) {
      // The loaders refuse these; a line break here would let one entry pose as several.
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a setup line must be one line without NUL: "
            + line.replace("\n", "\\n").replace("\r", "\\r"));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("# Setup (slurm.setup in the config, then setup in the recipe): the user's own shell lines,\n");
    out.append("# run as written. Module systems read unset variables, so -u is off while they run.\n");
    out.append("set +u\n");
    for (String line : lines) {
      out.append(line).append('\n');
    }
    // A line may turn on -e or pipefail (set -euo pipefail): the job script relies on neither, and
    // under -e a read at the end of a file or a failing service would end it without its exit code.
    out.append("set +e +o pipefail\n");
    out.append("set -u");
    return out.toString();
  }
}
