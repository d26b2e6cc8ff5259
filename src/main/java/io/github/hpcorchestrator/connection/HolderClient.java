package io.github.hpcorchestrator.connection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request to a connection holder over its Unix socket, with a deadline: a holder that does
 * not answer in time has its socket connection closed under it, which the caller sees as an
 * {@link IOException} like a holder that died.
 */
final class HolderClient implements AutoCloseable {
  /** The holder answered with {@link HolderProtocol#FAILED}: the command failed, not the holder. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final SocketChannel channel;
  private final ScheduledFuture<?> deadline;
  final DataOutputStream out;
  final DataInputStream in;
  /** Whether the whole request went out (after that, a command may have run). */
  boolean sent;

  private HolderClient(SocketChannel channel, ScheduledFuture<?> deadline) {
    this.channel = channel;
    this.deadline = deadline;
    this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
    this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
  }

  /** Connects to the holder of {@code folder}; the connection is closed after {@code timeout}. */
  static HolderClient open(HolderFolder folder, Duration timeout, ScheduledExecutorService timer)
      throws IOException {
    return open(folder.socket(), timeout, timer);
  }

  /** Connects to the Unix socket {@code socket} of a holder; the connection is closed after {@code timeout}. */
  static HolderClient open(java.nio.file.Path socket, Duration timeout, ScheduledExecutorService timer)
      throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    ScheduledFuture<?> deadline = timer.schedule(() -> {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing is all we wanted.
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return new HolderClient(channel, deadline);
  }

  /** Sends what was written and reads the answer's status; a refusal carries the holder's message. */
  void send() throws IOException {
    out.flush();
    sent = true;
  }

  /** Reads the answer's status byte, throwing {@link Refused} with the holder's message on FAILED. */
  void expectOk() throws IOException, Refused {
    int status = in.readByte();
    if (status == HolderProtocol.FAILED) {
      throw new Refused(HolderProtocol.readText(in));
    }
    if (status != HolderProtocol.OK) {
      throw new IOException("garbled answer from the connection holder");
    }
  }

  /** Keeps the connection open past its deadline (held tunnels). */
  void keepOpen() {
    deadline.cancel(false);
  }

  /**
   * Ends a held tunnel: closes our sending side and waits, at most {@code timeout}, for the
   * holder to confirm it stopped the forward, then closes.
   */
  void finish(Duration timeout, ScheduledExecutorService timer) {
    ScheduledFuture<?> cut = timer.schedule(this::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      channel.shutdownOutput();
      while (in.read() >= 0) {
        // Drains the confirmation up to the holder's close.
      }
    } catch (IOException e) {
      // The holder went away: its forwards went with it.
    } finally {
      cut.cancel(false);
      close();
    }
  }

  @Override
  public void close() {
    deadline.cancel(false);
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
