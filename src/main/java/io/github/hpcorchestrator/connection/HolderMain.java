package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.SshShell;
import io.github.hpcorchestrator.transport.SshTunnel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

/**
 * The connection holder: a detached JVM that logs in once, keeps the SSH session, its remote shell
 * and its forwards, serves CLI calls on a Unix socket in a {@link HolderFolder}, and ends after
 * its idle time, removing the socket. Started by {@link HeldShell}; arguments as
 * {@link #argv} writes them.
 */
public final class HolderMain {
  private static final int MAX_CLIENTS = 64;

  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

  private final HolderFolder folder;
  private final Duration idle;
  private final SshShell shell;
  private final long startedMillis = System.currentTimeMillis();
  private final AtomicLong lastUseNanos = new AtomicLong(System.nanoTime());
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private volatile ServerSocketChannel server;
  private final DoorOp door;
  private volatile Object socketInode;

  private final StartTimes started;

  private HolderMain(HolderFolder folder, Duration idle, SshShell shell, StartTimes started) {
    this.started = started;
    this.folder = folder;
    this.idle = idle;
    this.shell = shell;
    this.door = new DoorOp(ServiceLoader.load(CliRunner.class).findFirst(), folder.dir().getParent());
  }

  /** The arguments that make a holder for {@code hpc} in {@code folder}, ending after {@code idle}. */
  static List<String> argv(HolderFolder folder, HpcConfig hpc, Duration idle) {
    return List.of(folder.dir().toString(), Long.toString(idle.toSeconds()), hpc.hostname(),
        Integer.toString(hpc.port()), hpc.username().orElse("-"),
        hpc.keyFilename().map(Path::toString).orElse("-"), hpc.knownHosts().toString(),
        hpc.hostKeyChecking().name());
  }

  /** The system property in which a call tells its holder when it started it (epoch milliseconds). */
  static final String ASKED_AT = "orchestrator.holder.asked-at";

  /** The exit code of a holder that found another holding the lock of its folder. */
  static final int LOST_THE_LOCK = 3;

  /** Runs a holder until it is idle for its time, stopped, or cannot log in (exit 1). */
  public static void main(String[] args) throws Exception {
    long mainAt = System.currentTimeMillis();
    if (args.length != 8) {
      System.err.println("usage: HolderMain FOLDER IDLE_SECONDS HOST PORT USER|- KEY|- KNOWN_HOSTS CHECKING");
      System.exit(2);
    }
    HolderFolder folder = new HolderFolder(Path.of(args[0]));
    HpcConfig hpc = new HpcConfig(args[2], Integer.parseInt(args[3]),
        "-".equals(args[4]) ? Optional.empty() : Optional.of(args[4]),
        "-".equals(args[5]) ? Optional.empty() : Optional.of(Path.of(args[5])),
        Path.of(args[6]), HpcConfig.HostKeyChecking.valueOf(args[7]));
    try (FileChannel lockFile = FileChannel.open(folder.lock(), Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_RW));
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        System.err.println("another holder runs for " + folder.dir() + "; ending");
        System.exit(LOST_THE_LOCK);
      }
      // Written as soon as the lock is ours: calls starting meanwhile wait for this holder instead
      // of starting one each, and a later call can prove a hung holder is this process.
      Optional<HolderProcess> me = HolderProcess.current();
      if (me.isPresent()) {
        me.get().write(folder.process());
      }
      Files.deleteIfExists(folder.prompt()); // a prompt of a holder killed while it asked
      // A second factor is asked in the terminal of the call that started this holder.
      try (SshShell shell = new SshShell(hpc, Path.of(System.getProperty("user.home")), new PromptRelay(folder))) {
        // The login happens now, so a holder that cannot log in ends before it listens, saying why
        // to the calls waiting for it: they fail with that line instead of each trying again.
        long lockedAt = System.currentTimeMillis();
        long[] setUpAt = {lockedAt};
        Optional<LoginFailure> refused = login(shell, setUpAt);
        if (refused.isPresent()) {
          refused.get().write(folder.loginFailure());
          System.err.println("holder ends: " + refused.get().message());
          System.exit(1);
        }
        // The remote shell starts at once, behind the listening socket made next: a cold --status
        // waits for it, a query does not.
        Thread remoteShell = new Thread(shell::startRemoteShell, "holder-remote-shell");
        remoteShell.setDaemon(true);
        remoteShell.start();
        Files.deleteIfExists(folder.loginFailure());
        StartTimes times = new StartTimes(askedAt(), mainAt, lockedAt, setUpAt[0], System.currentTimeMillis());
        new HolderMain(folder, Duration.ofSeconds(Long.parseLong(args[1])), shell, times).serve();
      }
    } catch (RuntimeException e) {
      System.err.println("holder ends: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * Logs in (the SSH session, keys and second factor included); empty when that worked, else why
   * not, in one line. The remote shell starts after the login, beside the listening socket: a query
   * needs only the session's forwards, and a login shell's profile can take long on some sites.
   * {@code setUpAt[0]} is set to when the SSH client was ready (keys read, algorithms set up).
   */
  private static Optional<LoginFailure> login(SshShell shell, long[] setUpAt) {
    try {
      shell.prepare();
      setUpAt[0] = System.currentTimeMillis();
      shell.connect();
      return Optional.empty();
    } catch (InputException e) {
      return Optional.of(new LoginFailure(true, e.getMessage()));
    } catch (RuntimeException e) {
      return Optional.of(new LoginFailure(false, String.valueOf(e.getMessage())));
    }
  }

  /** Epoch milliseconds of a holder's start: asked by a call (if it said), main, lock taken, client set up, logged in. */
  private record StartTimes(Optional<Long> asked, long main, long locked, long setUp, long loggedIn) {
    /** Where the time to listening went, in words, for the holder's log. */
    String describe(long listening) {
      String mine = "lock and record " + (locked - main) + " ms, SSH client set-up " + (setUp - locked)
          + " ms, connect, key exchange and login " + (loggedIn - setUp) + " ms, to listening "
          + (listening - loggedIn) + " ms";
      return asked.map(a -> (listening - a) + " ms after a call started it: JVM start " + (main - a) + " ms, " + mine)
          .orElse(mine);
    }
  }

  private void serve() throws IOException {
    Files.deleteIfExists(folder.socket());
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(folder.socket()));
    // The 0700 folder already keeps others out; nothing in state_dir carries group or other bits.
    Files.setPosixFilePermissions(folder.socket(), OWNER_RW);
    socketInode = inode(folder.socket());
    // Where a cold call's wait went. (Not from the process's start instant: Linux gives that to the
    // whole second of its boot time, off by up to 1 s.)
    System.err.println("holder " + ProcessHandle.current().pid() + " listening on " + folder.socket()
        + " (" + started.describe(System.currentTimeMillis())
        + (Boolean.getBoolean(HolderLaunch.FROM_RECORD) ? "; started from its launch record" : "") + ")");
    door.warmUp();
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
      System.err.println("holder ends after " + served.get() + " requests (" + door.served() + " CLI calls)");
    }
  }

  /** When the call that started this holder asked for it ({@link #ASKED_AT}, epoch ms), if it said. */
  private static Optional<Long> askedAt() {
    try {
      return Optional.ofNullable(System.getProperty(ASKED_AT)).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void watchIdle() {
    while (server.isOpen()) {
      // A holder whose folder was removed (its state_dir, a test cluster) or taken over by another
      // holder can never be reached again: it ends instead of waiting out its idle time.
      if (!socketInode.equals(inode(folder.socket()))) {
        System.err.println("the socket " + folder.socket() + " is gone or replaced");
        stop();
        return;
      }
      long idleNanos = System.nanoTime() - lastUseNanos.get();
      if (active.get() == 0 && idleNanos >= idle.toNanos()) {
        System.err.println("idle for " + idle.toSeconds() + " s");
        stop();
        return;
      }
      // The holder lives as long as its login: a new one (a new login) is what a reconnect costs,
      // and a login node that went away leaves no process waiting out its idle time.
      if (active.get() == 0 && !shell.isConnected()) {
        System.err.println("the SSH session ended");
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
      System.err.println("stopping: " + e.getMessage());
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
