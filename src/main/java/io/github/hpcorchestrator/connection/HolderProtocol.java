package io.github.hpcorchestrator.connection;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a CLI call sends its connection holder over the Unix socket, one per socket
 * connection: an int op, its fields, then an answer that starts with {@link #OK} or
 * {@link #FAILED} and a message. Every length read is bounded, so a garbled peer cannot make
 * either side allocate without limit.
 */
final class HolderProtocol {
  static final int PING = 1;
  static final int STATUS = 2;
  static final int STOP = 3;
  static final int RUN = 4;
  static final int RUN_ONCE = 5;
  static final int WRITE = 6;
  static final int READ = 7;
  static final int HOME = 8;
  static final int REACH = 9;
  /** Holds a forward until the client closes its socket connection. */
  static final int HOLD = 10;
  /** Runs a CLI call in the holder ({@link DoorProtocol}). */
  static final int DOOR = 11;

  static final int OK = 0;
  static final int FAILED = 1;

  /** Upper bound of a byte field (file contents, command output). */
  static final int MAX_BYTES = 256 << 20;
  /** Upper bound of a text field (argv element, path, message). */
  static final int MAX_TEXT = 1 << 20;
  static final int MAX_ARGV = 10_000;

  private HolderProtocol() {}

  static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static byte[] readBytes(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new IOException("field of " + n + " bytes (at most " + max + ")");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  static void writeText(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  static String readText(DataInputStream in) throws IOException {
    return new String(readBytes(in, MAX_TEXT), StandardCharsets.UTF_8);
  }

  static void writeArgv(DataOutputStream out, List<String> argv) throws IOException {
    out.writeInt(argv.size());
    for (String a : argv) {
      writeText(out, a);
    }
  }

  static List<String> readArgv(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 1 || n > MAX_ARGV) {
      throw new IOException("argv of " + n + " elements");
    }
    List<String> argv = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      argv.add(readText(in));
    }
    return argv;
  }
}
