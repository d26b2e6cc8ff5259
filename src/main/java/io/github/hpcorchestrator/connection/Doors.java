package io.github.hpcorchestrator.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Doors: per-user links from a config file's absolute path to the socket of the connection holder
 * that serves it, so a front-end that has not parsed the YAML can still find the warm holder. Uses
 * java.base only, since the front-end loads it before deciding whether to start the full CLI.
 */
public final class Doors {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  /** Doors looked at for pruning in one {@link #make}: bounds the work of one call. */
  private static final int MAX_PRUNED_PER_CALL = 1000;

  private Doors() {}

  /** ${XDG_RUNTIME_DIR:-$HOME/.cache}/hpc-orchestrator/doors for the environment {@code env}. */
  public static Path dir(Map<String, String> env, String userHome) {
    String runtime = env.get("XDG_RUNTIME_DIR");
    Path base = runtime != null && !runtime.isEmpty() ? Path.of(runtime) : Path.of(userHome, ".cache");
    return base.resolve("hpc-orchestrator").resolve("doors");
  }

  /** The door of the config file {@code absConfig} in {@code dir}: a name from a 64-bit FNV-1a hash. */
  public static Path door(Path dir, Path absConfig) {
    return named(dir, absConfig, ".sock");
  }

  /** The file of {@code absConfig} in {@code dir} ending in {@code suffix}: its door's name. */
  static Path named(Path dir, Path absConfig, String suffix) {
    long h = 0xcbf29ce484222325L;
    for (byte b : absConfig.toString().getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    // Not String.format: its parser would cost the front-end's JVM a regex and lambdas at start.
    String hex = Long.toHexString(h);
    return dir.resolve("0".repeat(16 - hex.length()) + hex + suffix);
  }

  /** Whether {@code dir} is a folder owned by this user with mode 0700 (else a door there is not used). */
  public static boolean isPrivate(Path dir) {
    try {
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isDirectory() && a.permissions().equals(OWNER_ONLY)
          && a.owner().getName().equals(System.getProperty("user.name"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Makes {@code dir} (and its parents) with mode 0700 if missing; whether it is then a private folder of ours. */
  static boolean makePrivateDir(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
      } catch (FileAlreadyExistsException e) {
        // Checked below like any existing folder.
      }
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
    return isPrivate(dir);
  }

  /** Points the door of {@code absConfig} at {@code socket}, making the 0700 folder; false if it cannot. */
  public static boolean make(Path dir, Path absConfig, Path socket) {
    try {
      if (!makePrivateDir(dir)) {
        return false;
      }
      Path door = door(dir, absConfig);
      pruneGone(dir, door);
      Path target = socket.toAbsolutePath();
      if (Files.isSymbolicLink(door) && Files.readSymbolicLink(door).equals(target)) {
        return true;
      }
      // A new link under a temporary name, moved over the old one, so a reader never sees none.
      Path tmp = dir.resolve(door.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, target);
      Files.move(tmp, door, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Removes the doors in {@code dir} other than {@code keep} whose state_dir (the socket's
   * grandparent) is gone, and the {@link LaunchRecord}s of such state_dirs: a holder that never
   * started or was killed leaves its door behind, and temporary state folders (tests, one-off
   * configs) would pile them up.
   */
  private static void pruneGone(Path dir, Path keep) {
    try (DirectoryStream<Path> doors = Files.newDirectoryStream(dir, "*.sock")) {
      int seen = 0;
      for (Path door : doors) {
        if (++seen > MAX_PRUNED_PER_CALL) {
          return;
        }
        Optional<Path> to = linkTarget(door);
        Path stateDir = to.map(Path::getParent).map(Path::getParent).orElse(null);
        if (!door.equals(keep) && stateDir != null && !Files.exists(stateDir)) {
          Files.deleteIfExists(door);
        }
      }
    } catch (IOException e) {
      // Left for the next call: a stale door costs a front-end one failed connect.
    }
    try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*.launch")) {
      int seen = 0;
      for (Path record : records) {
        if (++seen > MAX_PRUNED_PER_CALL) {
          return;
        }
        if (LaunchRecord.stale(record)) {
          Files.deleteIfExists(record);
        }
      }
    } catch (IOException e) {
      // Left for the next call: a stale record is only never used.
    }
  }

  /** Removes the doors in {@code dir} that point at {@code socket} (its holder ends). */
  public static void removeFor(Path dir, Path socket) {
    Path target = socket.toAbsolutePath();
    try (DirectoryStream<Path> doors = Files.newDirectoryStream(dir, "*.sock")) {
      for (Path door : doors) {
        Optional<Path> to = linkTarget(door);
        if (to.isPresent() && to.get().equals(target)) {
          Files.deleteIfExists(door);
        }
      }
    } catch (IOException e) {
      // No folder or unreadable: no door of ours to remove; the front-end removes stale ones.
    }
  }

  private static Optional<Path> linkTarget(Path door) {
    try {
      return Optional.of(Files.readSymbolicLink(door));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
