package io.github.hpcorchestrator.cluster;

/** Observed state of a service's job, independent of the backend that runs it. */
public enum JobState {
  PENDING(false),
  RUNNING(false),
  COMPLETED(true),
  FAILED(true),
  CANCELLED(true),
  /** The backend no longer knows the job and it left no outcome behind. */
  UNKNOWN(true);

  private final boolean terminal;

  JobState(boolean terminal) {
    this.terminal = terminal;
  }

  /** True when the job can never run again. */
  public boolean isFinal() {
    return terminal;
  }
}
