package io.github.hpcorchestrator.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.ChannelPipedInputStream;

/**
 * A remote {@code sh} reading requests on stdin. Each request runs one command in a subshell
 * with its stdin from /dev/null or from a file the request carries (base64), its stdout and
 * stderr into files; the answer is a header line {@code TOKEN EXIT OUTLEN ERRLEN} followed by
 * exactly those bytes, so no output can be mistaken for the end of an answer. TOKEN is random
 * per shell.
 */
final class RemoteSh {
  private static final Duration CHANNEL_OPEN_TIMEOUT = Duration.ofSeconds(30);

  /** Thrown when an answer did not come in time. */
  static final class Timeout extends IOException {
    Timeout() {
      super("timed out");
    }
  }

  final String token;
  private final ChannelExec channel;
  private final OutputStream in;
  private final ChannelPipedInputStream out;

  private RemoteSh(ChannelExec channel, String token) {
    this.channel = channel;
    this.token = token;
    this.in = channel.getInvertedIn();
    this.out = (ChannelPipedInputStream) channel.getInvertedOut();
  }

  static RemoteSh open(ClientSession s, long deadline) throws IOException {
    ChannelExec channel = s.createExecChannel("exec sh");
    channel.setErr(new ByteArrayOutputStream());
    channel.open().verify(CHANNEL_OPEN_TIMEOUT);
    RemoteSh sh = new RemoteSh(channel, "hpco-" + Long.toHexString(new java.security.SecureRandom().nextLong()));
    sh.send("d=$(mktemp -d \"${TMPDIR:-/tmp}/hpco-sh.XXXXXX\") || exit 1\n"
        + "trap 'rm -rf \"$d\"' EXIT; trap 'exit 129' HUP; trap 'exit 141' PIPE; trap 'exit 143' TERM\n"
        + request("true", new byte[0], sh.token));
    RawResult ready = sh.answer(deadline);
    if (ready.exitCode() != 0) {
      sh.close();
      throw new IOException("the remote shell did not start");
    }
    return sh;
  }

  /** The text that runs {@code command} with {@code stdin} and prints its answer. */
  static String request(String command, byte[] stdin, String token) {
    StringBuilder r = new StringBuilder();
    String input = "/dev/null";
    if (stdin.length > 0) {
      r.append("base64 -d >\"$d/i\" <<'").append(token).append("'\n")
          .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(stdin)).append('\n')
          .append(token).append('\n');
      input = "\"$d/i\"";
    }
    // The newline before ")" ends a command that ends in a comment or a here-document.
    r.append("(\n").append(command).append("\n) <").append(input).append(" >\"$d/o\" 2>\"$d/e\"; ")
        .append("hpco_rc=$?; printf '\\n").append(token).append(" %s %s %s\\n' \"$hpco_rc\" ")
        .append("\"$(wc -c <\"$d/o\")\" \"$(wc -c <\"$d/e\")\"; cat \"$d/o\" \"$d/e\"\n");
    return r.toString();
  }

  boolean isOpen() {
    return channel.isOpen() && !channel.isClosing();
  }

  void send(String text) throws IOException {
    in.write(text.getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  RawResult answer(long deadline) throws IOException {
    String prefix = token + " ";
    String header;
    do {
      header = line(deadline);
    } while (!header.startsWith(prefix));
    String[] f = header.substring(prefix.length()).trim().split("\\s+");
    if (f.length != 3) {
      throw new IOException("garbled answer from the remote shell: " + header);
    }
    byte[] stdout = bytes(Integer.parseInt(f[1]), deadline);
    byte[] stderr = bytes(Integer.parseInt(f[2]), deadline);
    return new RawResult(Integer.parseInt(f[0]), stdout, stderr);
  }

  private String line(long deadline) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = read(deadline); c != '\n'; c = read(deadline)) {
      b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private byte[] bytes(int n, long deadline) throws IOException {
    byte[] buf = new byte[n];
    for (int off = 0; off < n; ) {
      setTimeout(deadline);
      int k;
      try {
        k = out.read(buf, off, n - off);
      } catch (IOException e) {
        throw timedOut(e, deadline) ? new Timeout() : e;
      }
      if (k < 0) {
        throw new IOException("the remote shell ended");
      }
      off += k;
    }
    return buf;
  }

  private int read(long deadline) throws IOException {
    setTimeout(deadline);
    int c;
    try {
      c = out.read();
    } catch (IOException e) {
      throw timedOut(e, deadline) ? new Timeout() : e;
    }
    if (c < 0) {
      throw new IOException("the remote shell ended");
    }
    return c;
  }

  private void setTimeout(long deadline) throws Timeout {
    long leftNanos = deadline - System.nanoTime();
    if (leftNanos <= 0) {
      throw new Timeout();
    }
    // Rounded up, plus one: MINA counts in milliseconds of another clock, and a wait cut short by
    // rounding ended before the deadline.
    out.setTimeout(leftNanos / 1_000_000 + 2);
  }

  /**
   * Whether a failed read is the wait running out, not the connection going away. MINA reports
   * its read timeout as {@code SocketException("Timeout (N) exceeded after K cycles")}; taken for
   * a dropped connection, it had a command that merely ran long rerun on a new connection.
   */
  private static boolean timedOut(IOException e, long deadline) {
    return e instanceof java.io.InterruptedIOException
        || System.nanoTime() >= deadline
        || e instanceof java.net.SocketException && String.valueOf(e.getMessage()).startsWith("Timeout (");
  }

  void close() {
    channel.close(true);
  }
}
