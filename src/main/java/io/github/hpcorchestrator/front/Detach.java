package io.github.hpcorchestrator.front;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a call's JVM gives its exit code to the user's shell and stays on (as the connection holder).
 * ./orchestrator ({@code src/sh/launch.sh}) starts the JVM beside it rather than in its place,
 * with a pipe whose descriptor {@link #PIPE_FD} names: a code written there is what ./orchestrator
 * exits with, at once, and a JVM that ends without writing one gives its own exit status. Before it
 * writes the code, the JVM lets go of the terminal and of whatever its output went to (a pipe of
 * {@code $(...)} is read to its end only once no process holds it), and from then on ignores the
 * terminal's hangup and interrupt, which are the user's shell's business, no longer this call's.
 */
final class Detach {
  /** The system property with the number of the descriptor to write the exit code to. */
  static final String PIPE_FD = "orchestrator.exit-fd";
  /** The system property with the wall-clock time the launcher started this call, as bash's $EPOCHREALTIME. */
  static final String CALLED_AT = "orchestrator.called-at";

  private final int fd;

  private Detach(int fd) {
    this.fd = fd;
  }

  /** The launcher's pipe, if this JVM was started so that it may stay on. */
  static Optional<Detach> offered() {
    String fd = System.getProperty(PIPE_FD);
    if (!digits(fd, 0, fd == null ? 0 : fd.length(), 4) || Integer.parseInt(fd) < 3) {
      return Optional.empty();
    }
    return Optional.of(new Detach(Integer.parseInt(fd)));
  }

  /** When the launcher started this call (epoch ms), if it said. */
  static OptionalLong calledAt() {
    return calledAt(System.getProperty(CALLED_AT));
  }

  /** {@code at} ($EPOCHREALTIME: seconds, a point or comma, microseconds) in epoch ms; empty when it is not that. */
  static OptionalLong calledAt(String at) {
    int point = at == null ? -1 : Math.max(at.indexOf('.'), at.indexOf(','));
    if (point < 0 || !digits(at, 0, point, 12) || !digits(at, point + 1, at.length(), 9)) {
      return OptionalLong.empty();
    }
    String fraction = (at.substring(point + 1) + "000").substring(0, 3);
    return OptionalLong.of(Long.parseLong(at.substring(0, point)) * 1000 + Long.parseLong(fraction));
  }

  /**
   * Whether {@code s} holds 1 to {@code most} ASCII digits from {@code from} to {@code to}. Not a
   * regular expression: compiling one cost every call ~5 ms before it had done anything.
   */
  private static boolean digits(String s, int from, int to, int most) {
    if (s == null || to - from < 1 || to - from > most) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Ends the call for the user's shell with {@code code} while this JVM goes on, its output from now
   * on appended to {@code log}; false when the code could not be handed over (the log could not be
   * opened, or the launcher is gone): the JVM then exits with the code itself.
   */
  boolean handOver(int code, Path log) {
    System.out.flush();
    System.err.flush();
    PrintStream to;
    try {
      to = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return false;
    }
    ignoreTerminalSignals();
    // Closing the standard streams points descriptors 0-2 at /dev/null (the JDK never closes
    // them outright), which lets go of the terminal and of a $(...) that reads the output.
    System.out.close();
    System.err.close();
    try {
      System.in.close();
    } catch (IOException e) {
      // Already closed: nothing held.
    }
    System.setOut(to);
    System.setErr(to);
    try (FileOutputStream pipe = new FileOutputStream("/proc/self/fd/" + fd)) {
      pipe.write((code + "\n").getBytes(StandardCharsets.US_ASCII));
      return true;
    } catch (IOException e) {
      to.println("could not hand exit code " + code + " to the launcher: " + e.getMessage());
      return false;
    }
  }

  /** SIGHUP and SIGINT of the terminal the call ran in no longer end this JVM. */
  @SuppressWarnings("sunapi")
  private static void ignoreTerminalSignals() {
    for (String name : new String[] {"HUP", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_IGN);
      } catch (IllegalArgumentException e) {
        // Not a signal this JVM may handle (-Xrs): it keeps the default.
      }
    }
  }
}
