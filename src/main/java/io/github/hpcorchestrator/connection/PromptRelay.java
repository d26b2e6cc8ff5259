package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.transport.PromptSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Relays a logging-in holder's keyboard-interactive prompts (a second factor) to the terminal of
 * the call that started it: the holder, detached and without a terminal, offers each prompt on
 * {@link HolderFolder#prompt()}, and the starting call, which waits for the holder anyway, asks
 * its user and sends the answers back. So the factor is asked once, where the user is, and later
 * calls use the held login. Answers go only over that socket, never to a log or a file.
 */
final class PromptRelay implements PromptSource {
  /** How long a holder waits for its starting call to take a prompt and answer it (a person's time to answer). */
  static final Duration WAIT = Duration.ofMinutes(2);
  private static final int MAX_PROMPTS = 64;

  private final HolderFolder folder;

  PromptRelay(HolderFolder folder) {
    this.folder = folder;
  }

  /** The holder's side: offers one round of prompts and waits, at most {@link #WAIT}, for the answers. */
  @Override
  public String[] answer(String name, String instruction, String[] prompts, boolean[] echo) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "prompt-relay-deadline");
      t.setDaemon(true);
      return t;
    });
    try {
      Files.deleteIfExists(folder.prompt());
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(folder.prompt()));
        Files.setPosixFilePermissions(folder.prompt(), PosixFilePermissions.fromString("rw-------"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (SocketChannel caller = accept(server, deadline)) {
          // The user types while this waits: the rest of the wait bounds it, by closing under it.
          long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
          var cut = timer.schedule(() -> closeQuietly(caller), left, TimeUnit.MILLISECONDS);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(caller)));
          DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(caller)));
          HolderProtocol.writeText(out, name);
          HolderProtocol.writeText(out, instruction);
          out.writeInt(prompts.length);
          for (int i = 0; i < prompts.length; i++) {
            HolderProtocol.writeText(out, prompts[i]);
            out.writeBoolean(echo[i]);
          }
          out.flush();
          int status = in.readByte();
          if (status != HolderProtocol.OK) {
            throw new IllegalStateException(HolderProtocol.readText(in));
          }
          String[] answers = new String[prompts.length];
          for (int i = 0; i < answers.length; i++) {
            answers[i] = HolderProtocol.readText(in);
          }
          cut.cancel(false);
          return answers;
        }
      } finally {
        Files.deleteIfExists(folder.prompt());
      }
    } catch (IOException e) {
      throw new IllegalStateException("the login node asks for a second factor and the call that started "
          + "the connection holder did not answer within " + WAIT.toSeconds() + " s (" + e.getMessage() + ")");
    } finally {
      timer.shutdownNow();
    }
  }

  private static SocketChannel accept(ServerSocketChannel server, long deadline) throws IOException {
    server.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      server.register(selector, SelectionKey.OP_ACCEPT);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException("no call took the prompt");
        }
        selector.select(left);
        SocketChannel c = server.accept();
        if (c != null) {
          c.configureBlocking(true);
          return c;
        }
      }
    }
  }

  /**
   * The starting call's side: takes the prompt a holder offers in {@code folder}, asks {@code source}
   * (this call's terminal) and sends the answers, or why there are none; does nothing when no prompt
   * is there to take (the holder went on or ended meanwhile).
   */
  static void take(HolderFolder folder, PromptSource source, ScheduledExecutorService timer) {
    try (HolderClient c = HolderClient.open(folder.prompt(), WAIT, timer)) {
      String name = HolderProtocol.readText(c.in);
      String instruction = HolderProtocol.readText(c.in);
      int n = c.in.readInt();
      if (n < 0 || n > MAX_PROMPTS) {
        throw new IOException(n + " prompts (at most " + MAX_PROMPTS + ")");
      }
      String[] prompts = new String[n];
      boolean[] echo = new boolean[n];
      for (int i = 0; i < n; i++) {
        prompts[i] = HolderProtocol.readText(c.in);
        echo[i] = c.in.readBoolean();
      }
      String[] answers;
      try {
        answers = source.answer(name, instruction, prompts, echo);
        if (answers == null || answers.length != n) {
          throw new IllegalStateException("the second factor was not answered");
        }
      } catch (IllegalStateException refused) {
        c.out.writeByte(HolderProtocol.FAILED);
        HolderProtocol.writeText(c.out, String.valueOf(refused.getMessage()));
        c.send();
        return;
      }
      c.out.writeByte(HolderProtocol.OK);
      for (String a : answers) {
        HolderProtocol.writeText(c.out, a == null ? "" : a);
      }
      c.send();
    } catch (IOException e) {
      // No prompt to take: the holder's login went on or ended; the caller's wait tells which.
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing is all the deadline wants.
    }
  }
}
