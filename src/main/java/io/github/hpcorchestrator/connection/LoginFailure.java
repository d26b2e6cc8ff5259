package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.OrchestratorException;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a holder could not log in, as it leaves it in {@link HolderFolder#loginFailure()} for the
 * calls waiting for it: whether the config was at fault (a key that cannot be read: exit 2, as
 * the call's own login would say) and the one line to show.
 */
record LoginFailure(boolean badInput, String message) {
  /** Upper bound of the file: one line of ours. */
  private static final long MAX_BYTES = 64 << 10;
  private static final String INPUT = "input";
  private static final String FAILED = "failed";

  /** Writes this failure to {@code file}, owner-only and atomically. */
  void write(Path file) {
    String text = (badInput ? INPUT : FAILED) + "\n" + message.replace('\n', ' ') + "\n";
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), 0600);
  }

  /** The failure in {@code file} if it was written at or after {@code sinceMillis}; empty otherwise. */
  static Optional<LoginFailure> readIfSince(Path file, long sinceMillis) {
    try {
      if (Files.getLastModifiedTime(file).toMillis() < sinceMillis || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      String[] lines = Files.readString(file).split("\n", 2);
      if (lines.length < 2 || !(lines[0].equals(INPUT) || lines[0].equals(FAILED))) {
        return Optional.empty();
      }
      return Optional.of(new LoginFailure(lines[0].equals(INPUT), lines[1].strip()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // none recorded, or none readable: the holder ended for another reason
    }
  }

  /** The exception a waiting call fails with. */
  OrchestratorException exception() {
    return badInput ? new InputException(message) : new OperationFailedException(message);
  }
}
