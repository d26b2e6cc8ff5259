package io.github.hpcorchestrator.connection;

/**
 * The wire format of a CLI call through a door ({@link HolderProtocol#DOOR}): the request is the
 * op, then the absolute config path, the caller's working folder, whether ORCHESTRATOR_HOME is set
 * and its value, and the argv; the answer is a series of frames, each a kind byte and its body,
 * that ends with {@link #EXIT} or {@link #NOT_SERVED}. java.base only (the front-end uses it).
 */
public final class DoorProtocol {
  /** The op a front-end sends (same number space as {@link HolderProtocol}). */
  public static final int OP = HolderProtocol.DOOR;
  /** A chunk of the call's stdout: int length, bytes. */
  public static final int OUT = 1;
  /** A chunk of the call's stderr: int length, bytes. */
  public static final int ERR = 2;
  /** The call ended: int exit code. */
  public static final int EXIT = 3;
  /** The holder will not run this call (before any output): int length, UTF-8 reason. */
  public static final int NOT_SERVED = 4;
  /** The holder runs the call (no body); sent before any output, so a silent holder counts as hung. */
  public static final int ACCEPTED = 5;

  private DoorProtocol() {}
}
