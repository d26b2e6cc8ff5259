package io.github.hpcorchestrator.service;

import java.util.Locale;

/**
 * What {@code --clear-state} did: records forgotten, and the ended services' folders and secrets
 * removed with them.
 *
 * @param forgotten services that ended and are no longer in state
 * @param foldersRemoved their service folders removed where their jobs ran
 * @param bytesFreed disk space those folders and secrets used
 */
public record ClearedState(int forgotten, int foldersRemoved, long bytesFreed) {

  /** One line for people: "Forgot 2 finished service(s); removed 2 service folder(s), freed 1.2 MiB." */
  public String summary() {
    return "Forgot " + forgotten + " finished service(s); removed " + foldersRemoved + " service folder(s), freed "
        + freedText() + ".";
  }

  /** {@link #bytesFreed} for people: "0 B", "512 B", "3.4 KiB", "1.2 MiB", ... */
  public String freedText() {
    if (bytesFreed < 1024) {
      return bytesFreed + " B";
    }
    double value = bytesFreed;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
