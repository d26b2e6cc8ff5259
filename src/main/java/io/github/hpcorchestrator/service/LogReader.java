package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a log file on the shell's side by byte offsets, each read capped: a huge log is never
 * carried over the connection, nor held in memory, as a whole.
 */
public final class LogReader {
  /** The most bytes one read returns. */
  public static final int MAX_CHUNK = 256 * 1024;
  /** The most bytes from the end of a log that a tail looks at. */
  public static final int TAIL_WINDOW = 1024 * 1024;

  // The file's size first, then at most "$3" bytes from offset "$2": tail -c +K seeks in a
  // regular file, head -c stops early. Arguments are positional, so no path reaches the script text.
  private static final String READ = """
      size=$(stat -c %s -- "$1" 2>/dev/null) || { echo missing; exit 0; }
      echo "$size"
      if (( size > $2 )); then
        n=$(( size - $2 < $3 ? size - $2 : $3 ))
        tail -c +$(( $2 + 1 )) -- "$1" | head -c "$n"
      fi
      """;
  // The size, the window's start, then the last "$2" lines of the window that ends at that size.
  private static final String TAIL = """
      size=$(stat -c %s -- "$1" 2>/dev/null) || { echo missing; exit 0; }
      start=$(( size > $3 ? size - $3 : 0 ))
      echo "$size"
      echo "$start"
      tail -c +$(( start + 1 )) -- "$1" | head -c $(( size - start )) | tail -n "$2"
      """;

  private final Shell shell;

  /** @param shell reaches the side where the log lies */
  public LogReader(Shell shell) {
    this.shell = shell;
  }

  /**
   * What a read found.
   *
   * @param size the file's size when it was read
   * @param next the offset after the bytes read
   * @param text the bytes read, as UTF-8
   */
  public record Chunk(long size, long next, String text) {}

  /** At most {@link #MAX_CHUNK} bytes of {@code path} from {@code offset}; empty if the file is missing. */
  public Optional<Chunk> read(String path, long offset) {
    List<String> out = run(READ, path, Long.toString(offset), Integer.toString(MAX_CHUNK));
    if (out.get(0).equals("missing")) {
      return Optional.empty();
    }
    long size = parse(out.get(0), path);
    // The count comes from the sizes, not the text: decoding may change the number of characters.
    long read = size > offset ? Math.min(size - offset, MAX_CHUNK) : 0;
    return Optional.of(new Chunk(size, offset + read, out.get(1)));
  }

  /**
   * The last {@code lines} lines of {@code path} (fewer when they do not fit in
   * {@link #TAIL_WINDOW} bytes), with the offset of the file's end; empty if the file is missing.
   */
  public Optional<Chunk> tail(String path, int lines) {
    List<String> out = run(TAIL, path, Integer.toString(lines + 1), Integer.toString(TAIL_WINDOW));
    if (out.get(0).equals("missing")) {
      return Optional.empty();
    }
    long size = parse(out.get(0), path);
    String[] rest = out.get(1).split("\n", 2);
    long start = parse(rest[0], path);
    String text = rest.length > 1 ? rest[1] : "";
    List<String> kept = new ArrayList<>(List.of(text.split("\n", -1)));
    boolean endsWithNewline = text.endsWith("\n");
    if (endsWithNewline) {
      kept.remove(kept.size() - 1);
    }
    // One line more was asked for: a window cut inside the file may begin mid-line, and that
    // first line is dropped; otherwise only the extra one is.
    if (!kept.isEmpty() && (start > 0 || kept.size() > lines)) {
      kept.remove(0);
    }
    while (kept.size() > lines) {
      kept.remove(0);
    }
    String joined = String.join("\n", kept) + (endsWithNewline && !kept.isEmpty() ? "\n" : "");
    return Optional.of(new Chunk(size, size, joined));
  }

  /** The script's first line, and everything after it. */
  private List<String> run(String script, String path, String a, String b) {
    CommandResult r = shell.run(List.of("bash", "-c", script, "bash", path, a, b), Shell.SHORT_TIMEOUT);
    if (!r.ok()) {
      throw new OperationFailedException("cannot read " + path + ": " + (r.stderr().isBlank()
          ? "exit code " + r.exitCode() : r.stderr().strip().lines().reduce((x, y) -> y).orElse("")));
    }
    String[] parts = r.stdout().split("\n", 2);
    return List.of(parts[0], parts.length > 1 ? parts[1] : "");
  }

  private static long parse(String number, String path) {
    if (!number.matches("\\d{1,18}")) {
      throw new OperationFailedException("cannot read " + path + ": expected its size, found '" + number + "'");
    }
    return Long.parseLong(number);
  }
}
