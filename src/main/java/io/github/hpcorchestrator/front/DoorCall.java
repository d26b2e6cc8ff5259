package io.github.hpcorchestrator.front;

import io.github.hpcorchestrator.connection.DoorProtocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One CLI call through a door to the connection holder behind it. Every way it can fail before
 * the holder accepted the call (no socket, refused connect, not served, no answer in time) is
 * {@link #NOT_RUN}, so the caller runs the full CLI instead; a door with no holder is removed.
 */
final class DoorCall {
  /** The call did not run through the door; nothing was printed. */
  static final int NOT_RUN = -1;
  /** How long the holder gets to accept or refuse: it only loads the config first. */
  static final long ACCEPT_MILLIS = 5_000;

  private DoorCall() {}

  /** The exit code of {@code args} run behind {@code door}, or {@link #NOT_RUN}. */
  static int run(Path door, Path config, String home, List<String> args, PrintStream out, PrintStream err) {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      return NOT_RUN;
    }
    try (channel) {
      try {
        channel.connect(UnixDomainSocketAddress.of(door));
      } catch (IOException e) {
        // A dangling link or a socket nobody listens on: the holder ended.
        removeQuietly(door);
        return NOT_RUN;
      }
      Thread cut = deadline(channel);
      DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
      int first;
      try {
        DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        o.writeInt(DoorProtocol.OP);
        text(o, config.toString());
        text(o, System.getProperty("user.dir"));
        o.writeBoolean(home != null);
        text(o, home == null ? "" : home);
        o.writeInt(args.size());
        for (String a : args) {
          text(o, a);
        }
        o.flush();
        first = in.readByte();
      } catch (IOException e) {
        return NOT_RUN;
      } finally {
        cut.interrupt();
      }
      if (first != DoorProtocol.ACCEPTED) {
        return NOT_RUN;
      }
      return frames(in, out, err);
    } catch (IOException e) {
      return NOT_RUN;
    }
  }

  private static int frames(DataInputStream in, PrintStream out, PrintStream err) {
    try {
      while (true) {
        int kind = in.readByte();
        if (kind == DoorProtocol.EXIT) {
          return in.readInt();
        }
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        (kind == DoorProtocol.OUT ? out : err).write(b, 0, b.length);
        (kind == DoorProtocol.OUT ? out : err).flush();
      }
    } catch (IOException e) {
      // The call may have done something already: not run again.
      err.println("Error: the connection holder went away during the call (" + e.getMessage() + ")");
      return 1;
    }
  }

  /** Closes {@code channel} unless interrupted within {@link #ACCEPT_MILLIS}. */
  private static Thread deadline(SocketChannel channel) {
    Thread t = new Deadline(channel);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A class, not a lambda: the front-end's JVM would spin up invokedynamic for one. */
  private static final class Deadline extends Thread {
    private final SocketChannel channel;

    Deadline(SocketChannel channel) {
      super("door-deadline");
      this.channel = channel;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(ACCEPT_MILLIS);
        channel.close();
      } catch (InterruptedException | IOException e) {
        // Accepted in time, or closed anyway.
      }
    }
  }

  private static void text(DataOutputStream o, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.writeInt(b.length);
    o.write(b);
  }

  private static void removeQuietly(Path door) {
    try {
      Files.deleteIfExists(door);
    } catch (IOException e) {
      // Another call removed it, or it is not ours to remove: fall back either way.
    }
  }
}
