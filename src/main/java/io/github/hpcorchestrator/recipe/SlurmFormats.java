package io.github.hpcorchestrator.recipe;

import java.util.regex.Pattern;

/**
 * Checks SLURM resource values that recipes and the config's {@code slurm:} section share. They
 * end up on {@code #SBATCH} lines, so anything outside the plain forms is refused here rather than
 * escaped later.
 */
public final class SlurmFormats {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern MEM = Pattern.compile("[0-9]+[KMGT]?");
  private static final Pattern GRES = Pattern.compile("[A-Za-z0-9_:.,-]+");
  private static final Pattern GPUS = Pattern.compile("([A-Za-z0-9_.-]+:)?[1-9][0-9]{0,3}");
  // minutes | MM:SS | HH:MM:SS | D-HH:MM:SS; minutes and seconds are checked below 60 by the pattern.
  private static final Pattern TIME = Pattern.compile(
      "[0-9]+|[0-9]+:[0-5][0-9]|[0-9]+:[0-5][0-9]:[0-5][0-9]|[0-9]+-[0-9]{1,2}:[0-5][0-9]:[0-5][0-9]");

  private SlurmFormats() {}

  /** A partition, QOS or account name: letters, digits, '_', '.', '-'. */
  public static String name(YamlValue value) {
    return value.asMatching(NAME, "a SLURM name (letters, digits, '_', '.', '-')");
  }

  /** Memory like 4G, 512M or 1024 (megabytes). */
  public static String mem(YamlValue value) {
    return value.asMatching(MEM, "a memory size like 4G, 512M or 1024");
  }

  /** A time limit: HH:MM:SS, D-HH:MM:SS, MM:SS, or whole minutes. */
  public static String time(YamlValue value) {
    return value.asMatching(TIME, "a time limit like 02:00:00, 1-00:00:00, 30:00 or minutes");
  }

  /** A generic resource request like gpu:1 or gpu:a100:2. */
  public static String gres(YamlValue value) {
    return value.asMatching(GRES, "a GRES like gpu:1 (letters, digits, '_', ':', '.', ',', '-')");
  }

  /** A GPU count, optionally with a type: 1 or a100:2 (--gpus, --gpus-per-node). */
  public static String gpus(YamlValue value) {
    return value.asMatching(GPUS, "a GPU count like 1 or a100:2");
  }
}
