package io.github.hpcorchestrator.files;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files on this machine so that readers see either the old or the new content, never a
 * truncated one: write to a temporary sibling, then rename over the target.
 *
 * <p>A temporary file is named {@code .<target name>.<pid>@<host>.<random>.tmp}, so that one left
 * behind by a killed process can be told from one a running process is still writing
 * ({@link #removeStaleTemps}).
 */
public final class AtomicFiles {
  private static final Pattern TEMP =
      Pattern.compile("\\..+\\.(?:([0-9]+)@([A-Za-z0-9.-]*)\\.[0-9a-f]{32}|[0-9]+)\\.tmp");
  // A temp file whose writer cannot be checked (another host on a shared folder, or a version
  // before the PID was in the name): no writer keeps one open this long.
  private static final Duration UNCHECKED_TEMP_AGE = Duration.ofMinutes(10);

  // Which machine's process table a temp file's PID belongs to; constant for the process's life.
  private static final String HOST = hostName();

  private AtomicFiles() {}

  /** What goes into a file, written as a stream so that large content needs no heap. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code content} to {@code target} atomically with the given POSIX mode (e.g. 0600). */
  public static void write(Path target, byte[] content, int mode) {
    write(target, mode, out -> out.write(content));
  }

  /** Streams {@code content} into a temporary sibling of {@code target}, then renames it into place. */
  public static void write(Path target, int mode, Content content) {
    Path tmp = null;
    try {
      tmp = writeTemp(target, mode, content);
      move(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new OperationFailedException("cannot write " + target + ": " + describe(e), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Writes several files so that they appear together or not at all: every one goes to a temporary
   * file first; then the last target (the commit marker) is removed, the others are renamed into
   * place, and the marker last. A reader that finds the others without the marker sees an
   * unfinished write ({@link #removeStaleTemps} removes such leftovers by the same rule).
   *
   * @param files targets in order, the commit marker last
   */
  public static void writeTogether(Map<Path, byte[]> files, int mode) {
    Map<Path, Path> temps = new LinkedHashMap<>();
    List<Path> placed = new ArrayList<>();
    Path current = null;
    try {
      for (Map.Entry<Path, byte[]> file : files.entrySet()) {
        current = file.getKey();
        byte[] bytes = file.getValue();
        temps.put(file.getKey(), writeTemp(file.getKey(), mode, out -> out.write(bytes)));
      }
      List<Path> targets = new ArrayList<>(temps.keySet());
      Path marker = targets.get(targets.size() - 1);
      current = marker;
      Files.deleteIfExists(marker);
      for (Path target : targets) {
        current = target;
        move(temps.get(target), target);
        temps.remove(target);
        placed.add(target);
      }
    } catch (IOException e) {
      // Without its marker the set is unfinished: what was already renamed goes too.
      placed.forEach(AtomicFiles::deleteQuietly);
      throw new OperationFailedException("cannot write " + current + ": " + describe(e), e);
    } finally {
      temps.values().forEach(AtomicFiles::deleteQuietly);
    }
  }

  /**
   * Removes temporary files in {@code dir} (not below it) that their writer left behind: those of
   * a process that no longer runs, and unnamed-writer ones older than ten minutes. Returns what
   * was removed; a folder that cannot be read is left alone.
   */
  public static List<Path> removeStaleTemps(Path dir) {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path entry : entries) {
        Matcher m = TEMP.matcher(entry.getFileName().toString());
        if (m.matches() && Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && stale(entry, m.group(1), m.group(2)) && deleteQuietly(entry)) {
          removed.add(entry);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Cleaning up is a courtesy: a folder we cannot list holds nothing we could remove.
    }
    return removed;
  }

  private static boolean stale(Path temp, String pid, String host) throws IOException {
    if (pid != null && host.equals(HOST)) {
      return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    }
    FileTime modified = Files.getLastModifiedTime(temp);
    return modified.toInstant().isBefore(Instant.now().minus(UNCHECKED_TEMP_AGE));
  }

  private static String hostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      return name.matches("[A-Za-z0-9.-]*") ? name : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static Path writeTemp(Path target, int mode, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "@" + HOST
        + "." + UUID.randomUUID().toString().replace("-", "") + ".tmp");
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(permissions(mode)));
    try {
      // createFile's mode is filtered by the umask; the exact mode is set afterwards.
      Files.setPosixFilePermissions(tmp, permissions(mode));
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      }
      return tmp;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean deleteQuietly(Path file) {
    if (file == null) {
      return false;
    }
    try {
      return Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // The write already failed, or this is cleanup; that error is not the one worth reporting.
      return false;
    }
  }

  /** The POSIX permission set for an octal mode such as 0644. */
  public static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      s.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  private static String describe(IOException e) {
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null ? "" : " " + msg);
  }
}
