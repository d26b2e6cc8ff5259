package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.SshShell;
import io.github.hpcorchestrator.transport.SshTunnel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A logged-in connection holder's serving side: its Unix socket in a {@link HolderFolder}, the
 * requests of CLI calls on it (commands, files, forwards, whole CLI calls through a door), and its
 * end after its idle time, removing the socket. Runs in a holder JVM of its own ({@link HolderMain})
 * or in the JVM of the call that logged in and stays on ({@link StayingHolder}).
 */
final class Holder {
  private static final int MAX_CLIENTS = 64;

  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

  private final HolderFolder folder;
  private final Duration idle;
  private final SshShell shell;
  private final PrintStream log;
  private final long startedMillis = System.currentTimeMillis();
  private final AtomicLong lastUseNanos = new AtomicLong(System.nanoTime());
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private volatile ServerSocketChannel server;
  private final DoorOp door;
  private volatile Object socketInode;
  /** The jar this JVM runs from, if it runs from one, and its modification time when the holder began. */
  private final Optional<Path> jar = runningJar();
  private final Optional<FileTime> jarTime = modified(jar);

  /** A holder of {@code folder} over the logged-in {@code shell}, ending after {@code idle}, writing its lines to {@code log}. */
  Holder(HolderFolder folder, Duration idle, SshShell shell, PrintStream log) {
    this.folder = folder;
    this.idle = idle;
    this.shell = shell;
    this.log = log;
    this.door = new DoorOp(ServiceLoader.load(CliRunner.class).findFirst(), folder.dir().getParent(), log);
  }

  /**
   * Makes the socket, owner-only, and says so in the log with {@code how} of the time it listened
   * (epoch ms: where the start's time went); calls connecting from now on wait in its backlog until
   * {@link #serve}.
   */
  void listen(LongFunction<String> how) throws IOException {
    Files.deleteIfExists(folder.socket());
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(folder.socket()));
    // The 0700 folder already keeps others out; nothing in state_dir carries group or other bits.
    Files.setPosixFilePermissions(folder.socket(), OWNER_RW);
    socketInode = inode(folder.socket());
    log.println("holder " + ProcessHandle.current().pid() + " listening on " + folder.socket() + " (" + how.apply(System.currentTimeMillis()) + ")");
  }

  /** Warms the CLI that door calls run up, in a daemon thread ({@link DoorOp#warmUp}). */
  void warmUp() {
    door.warmUp();
  }

  /** Answers requests until idle for its time, stopped, or its session ended; removes its socket then. */
  void serve() throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(MAX_CLIENTS, r -> {
      Thread t = new Thread(r, "holder-client");
      t.setDaemon(true);
      return t;
    });
    Thread watchdog = new Thread(this::watchIdle, "holder-idle");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      while (true) {
        SocketChannel client = server.accept();
        active.incrementAndGet();
        pool.execute(() -> handle(client));
      }
    } catch (IOException closed) {
      // The watchdog or STOP closed the server socket: end.
    } finally {
      removeOwnSocket();
      Doors.removeFor(Doors.dir(System.getenv(), System.getProperty("user.home")), folder.socket());
      pool.shutdownNow();
      log.println("holder ends after " + served.get() + " requests (" + door.served() + " CLI calls)");
    }
  }

  private void watchIdle() {
    while (server.isOpen()) {
      // A holder whose folder was removed (its state_dir, a test cluster) or taken over by another
      // holder can never be reached again: it ends instead of waiting out its idle time.
      if (!socketInode.equals(inode(folder.socket()))) {
        log.println("the socket " + folder.socket() + " is gone or replaced");
        stop();
        return;
      }
      long idleNanos = System.nanoTime() - lastUseNanos.get();
      if (active.get() == 0 && idleNanos >= idle.toNanos()) {
        log.println("idle for " + idle.toSeconds() + " s");
        stop();
        return;
      }
      // The holder lives as long as its login: a new one (a new login) is what a reconnect costs,
      // and a login node that went away leaves no process waiting out its idle time.
      if (active.get() == 0 && !shell.isConnected()) {
        log.println("the SSH session ended");
        stop();
        return;
      }
      // A rebuilt jar: classes this JVM has yet to load would come from another build, or not at all.
      if (active.get() == 0 && !jarTime.equals(modified(jar))) {
        log.println("its jar " + jar.orElseThrow() + " was rebuilt");
        stop();
        return;
      }
      try {
        Thread.sleep(Math.min(1000, Math.max(50, (idle.toNanos() - idleNanos) / 1_000_000)));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void stop() {
    try {
      // Removed before the close so no caller connects to a socket about to go away.
      removeOwnSocket();
      server.close();
    } catch (IOException e) {
      log.println("stopping: " + e.getMessage());
    }
  }

  /** The first class path entry when it is a jar (./orchestrator's runs). */
  private static Optional<Path> runningJar() {
    String first = System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)[0];
    return first.endsWith(".jar") ? Optional.of(Path.of(first)) : Optional.empty();
  }

  private static Optional<FileTime> modified(Optional<Path> file) {
    try {
      return file.isPresent() ? Optional.of(Files.getLastModifiedTime(file.get())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The socket file's inode, or a marker no inode equals when it is gone. */
  private static Object inode(Path socket) {
    try {
      return Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      return "gone";
    }
  }

  /** Removes the socket and the process record only while they are this holder's, not a successor's. */
  private void removeOwnSocket() throws IOException {
    if (socketInode != null && socketInode.equals(inode(folder.socket()))) {
      Files.deleteIfExists(folder.socket());
      Optional<HolderProcess> recorded = HolderProcess.read(folder.process());
      if (recorded.isPresent() && recorded.get().pid() == ProcessHandle.current().pid()) {
        Files.deleteIfExists(folder.process());
      }
    }
  }

  private void handle(SocketChannel client) {
    try (client) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
      int op = in.readInt();
      try {
        answer(op, in, out);
      } catch (RuntimeException e) {
        out.writeByte(HolderProtocol.FAILED);
        HolderProtocol.writeText(out, String.valueOf(e.getMessage()));
      }
      out.flush();
      if (op == HolderProtocol.STOP) {
        stop();
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    } finally {
      served.incrementAndGet();
      lastUseNanos.set(System.nanoTime());
      active.decrementAndGet();
    }
  }

  private void answer(int op, DataInputStream in, DataOutputStream out) throws IOException {
    switch (op) {
      case HolderProtocol.PING, HolderProtocol.STOP -> out.writeByte(HolderProtocol.OK);
      case HolderProtocol.STATUS -> {
        out.writeByte(HolderProtocol.OK);
        out.writeLong(ProcessHandle.current().pid());
        out.writeLong(startedMillis);
        out.writeInt(active.get() - 1);
      }
      case HolderProtocol.RUN, HolderProtocol.RUN_ONCE -> {
        long timeoutMillis = in.readLong();
        List<String> argv = HolderProtocol.readArgv(in);
        Duration timeout = Duration.ofMillis(timeoutMillis);
        CommandResult r = op == HolderProtocol.RUN ? shell.run(argv, timeout) : shell.runOnce(argv, timeout);
        out.writeByte(HolderProtocol.OK);
        out.writeInt(r.exitCode());
        HolderProtocol.writeText(out, r.stdout());
        HolderProtocol.writeText(out, r.stderr());
      }
      case HolderProtocol.WRITE -> {
        String path = HolderProtocol.readText(in);
        int mode = in.readInt();
        byte[] content = HolderProtocol.readBytes(in, HolderProtocol.MAX_BYTES);
        shell.writeFile(path, content, mode);
        out.writeByte(HolderProtocol.OK);
      }
      case HolderProtocol.READ -> {
        byte[] content = shell.readFile(HolderProtocol.readText(in));
        out.writeByte(HolderProtocol.OK);
        HolderProtocol.writeBytes(out, content);
      }
      case HolderProtocol.HOME -> {
        String home = shell.home().toString();
        out.writeByte(HolderProtocol.OK);
        HolderProtocol.writeText(out, home);
      }
      case HolderProtocol.REACH -> {
        String host = HolderProtocol.readText(in);
        int port = shell.reach(host, in.readInt()).getPort();
        out.writeByte(HolderProtocol.OK);
        out.writeInt(port);
      }
      case HolderProtocol.HOLD -> hold(in, out);
      case HolderProtocol.DOOR -> door.serve(in, out);
      default -> throw new IOException("unknown request " + op);
    }
  }

  private void hold(DataInputStream in, DataOutputStream out) throws IOException {
    String host = HolderProtocol.readText(in);
    int port = in.readInt();
    int localPort = in.readInt();
    try (SshTunnel t = shell.holdTunnel(host, port, localPort).orElseThrow()) {
      out.writeByte(HolderProtocol.OK);
      out.writeInt(t.localAddress().getPort());
      out.flush();
      // The forward lives as long as the caller keeps its side of this connection open.
      while (in.read() >= 0) {
        lastUseNanos.set(System.nanoTime());
      }
    }
    // Tells the caller the local port is free again, so its close() returns only then.
    out.writeByte(HolderProtocol.OK);
  }
}
