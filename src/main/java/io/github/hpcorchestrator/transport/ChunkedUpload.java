package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Copies a local file of any size to the shell's side in chunks, reporting MB and percent as it
 * goes; the target appears whole and checked (SHA-256 on the far side) or not at all.
 */
public final class ChunkedUpload {
  /** Each chunk is one {@link Shell#writeFile} request: small enough for its timeout on a slow link. */
  static final int CHUNK_BYTES = 4 << 20;
  private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(5);

  private final Shell shell;
  private final Consumer<String> progress;
  private final SecureRandom random = new SecureRandom();

  /** @param progress receives one line per tenth of a large file, and one when it is in place */
  public ChunkedUpload(Shell shell, Consumer<String> progress) {
    this.shell = shell;
    this.progress = progress;
  }

  /**
   * Uploads {@code file} to {@code target} with {@code mode}; the parts go to a private folder
   * next to the target and are joined, checked against {@code sha256} and renamed into place.
   *
   * @param label what the file is, for progress lines ("prometheus")
   * @throws OperationFailedException when a part cannot be written or the joined file differs
   */
  public void upload(Path file, String sha256, String target, int mode, String label) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String parts = target + ".upload-" + HexFormat.of().formatHex(nonce());
    progress.accept("uploading " + label + " (" + mb(size) + ") to " + target);
    try (InputStream in = Files.newInputStream(file)) {
      long sent = 0;
      int part = 0;
      int reportedTenth = 0;
      byte[] chunk;
      do {
        chunk = in.readNBytes(CHUNK_BYTES);
        shell.writeFile(parts + "/" + String.format(Locale.ROOT, "%06d", part++), chunk, 0600);
        sent += chunk.length;
        int tenth = (int) (sent * 10 / Math.max(1, size));
        if (size > CHUNK_BYTES && tenth > reportedTenth && sent < size) {
          reportedTenth = tenth;
          progress.accept("  " + label + ": " + mb(sent) + " of " + mb(size) + " (" + sent * 100 / size + "%)");
        }
      } while (chunk.length > 0 && sent < size);
    } catch (IOException e) {
      shell.run(List.of("rm", "-rf", "--", parts), Shell.SHORT_TIMEOUT);
      throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      shell.run(List.of("rm", "-rf", "--", parts), Shell.SHORT_TIMEOUT);
      throw e;
    }
    CommandResult joined = shell.run(joinArgv(parts, target, sha256, mode), JOIN_TIMEOUT);
    if (!joined.ok()) {
      shell.run(List.of("rm", "-rf", "--", parts), Shell.SHORT_TIMEOUT);
      throw new OperationFailedException("upload of " + label + " to " + target + " failed: "
          + (joined.stderr().isBlank() ? "exit code " + joined.exitCode() : joined.stderr().strip().lines()
              .reduce((a, b) -> b).orElse("")));
    }
    progress.accept("uploaded " + label + " (" + mb(size) + ")");
  }

  /**
   * Joins the parts in name order into a temp file, checks its SHA-256 and renames it onto the
   * target (a rename: a reader sees the old file or the whole new one); the parts are removed.
   * Safe to run twice.
   */
  static List<String> joinArgv(String parts, String target, String sha256, int mode) {
    // A join retried after a dropped connection finds its parts gone and the target in place.
    String script = "set -e; parts=$1; all=$1.joined; "
        + "if [ ! -d \"$parts\" ]; then sum=$(sha256sum < \"$2\"); [ \"${sum%% *}\" = \"$3\" ]; exit; fi; "
        + "trap 'rm -rf -- \"$parts\" \"$all\"' EXIT; "
        + "cat \"$parts\"/* > \"$all\"; sum=$(sha256sum < \"$all\"); sum=${sum%% *}; "
        + "if [ \"$sum\" != \"$3\" ]; then echo \"checksum mismatch: got $sum, sent $3\" >&2; exit 1; fi; "
        + "chmod " + String.format("%04o", mode) + " -- \"$all\"; mv -f -- \"$all\" \"$2\"";
    return List.of("sh", "-c", script, "sh", parts, target, sha256);
  }

  /** The SHA-256 of a local file, as lowercase hex. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A size for people: "812 KB", "103.4 MB". */
  public static String mb(long bytes) {
    return bytes < 1 << 20 ? (bytes + 1023) / 1024 + " KB"
        : String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
  }

  private byte[] nonce() {
    byte[] b = new byte[6];
    random.nextBytes(b);
    return b;
  }
}
