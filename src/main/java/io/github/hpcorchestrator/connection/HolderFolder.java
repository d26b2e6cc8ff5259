package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The folder of state_dir that holds the connection holder's Unix socket, lock and log: only a
 * folder owned by this user with mode 0700 is used, since plain Java cannot check a socket peer's
 * uid and the folder's mode is what keeps other users from connecting.
 */
public record HolderFolder(Path dir) {
  private static final String NAME = "connection";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  /** The socket the holder listens on. */
  public Path socket() {
    return dir.resolve("holder.sock");
  }

  /** The file the living holder keeps locked, so at most one runs per state_dir. */
  public Path lock() {
    return dir.resolve("holder.lock");
  }

  /** The pid and start time of the holder that listens on the socket ({@link HolderProcess}). */
  public Path process() {
    return dir.resolve("holder.pid");
  }

  /** The launcher of a holder being started (pid and start time): it ends once the holder recorded itself. */
  public Path starting() {
    return dir.resolve("holder.starting");
  }

  /** Where a logging-in holder offers a second-factor prompt to the call that started it ({@link PromptRelay}). */
  public Path prompt() {
    return dir.resolve("prompt.sock");
  }

  /** Why the last holder could not log in, one line; written only then, removed by a holder that did. */
  public Path loginFailure() {
    return dir.resolve("holder.failed");
  }

  /** Where the holder's stdout and stderr go. */
  public Path log() {
    return dir.resolve("holder.log");
  }

  /** The folder under {@code stateDir} as a path only: nothing is created or checked (a door names its socket). */
  public static HolderFolder at(Path stateDir) {
    return new HolderFolder(stateDir.resolve(NAME));
  }

  /** The folder under {@code stateDir}, created 0700 if missing; fails if it is not ours and 0700. */
  public static HolderFolder in(Path stateDir) {
    Path dir = stateDir.resolve(NAME);
    try {
      Files.createDirectories(stateDir);
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // The umask may have taken bits away, never added: set exactly what we mean.
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
      } catch (FileAlreadyExistsException e) {
        // Checked below like any existing folder.
      }
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      String me = System.getProperty("user.name");
      if (!a.isDirectory() || !a.owner().getName().equals(me) || !a.permissions().equals(OWNER_ONLY)) {
        throw new OperationFailedException(dir + ": expected a folder owned by " + me
            + " with mode 0700, found " + (a.isDirectory() ? "owner " + a.owner().getName()
            + ", mode " + PosixFilePermissions.toString(a.permissions()) : "something else")
            + "; not using a held connection there");
      }
      return new HolderFolder(dir);
    } catch (IOException e) {
      throw new OperationFailedException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }
}
