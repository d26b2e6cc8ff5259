package io.github.hpcorchestrator.prometheus;

/**
 * Outcome of a {@link PromtoolCheck}.
 *
 * @param outcome what happened
 * @param output what promtool printed (stdout and stderr, trimmed), or why it could not run
 */
public record PromtoolResult(Outcome outcome, String output) {

  /** What a check concluded. */
  public enum Outcome {
    /** promtool accepted the config (it may still have printed warnings). */
    VALID,
    /** promtool rejected the config; {@code output} holds its reasons. */
    INVALID,
    /** No promtool executable was found; nothing was checked. */
    NOT_FOUND,
    /** promtool could not be run or did not finish in time; nothing was concluded. */
    FAILED
  }

  /** True only when promtool ran and accepted the config. */
  public boolean ok() {
    return outcome == Outcome.VALID;
  }
}
