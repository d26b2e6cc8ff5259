package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.PromptSource;
import io.github.hpcorchestrator.transport.Shell;
import io.github.hpcorchestrator.transport.SshShell;
import io.github.hpcorchestrator.transport.SshTunnel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Shell} on the login node that hands its work to a connection holder ({@link
 * HolderMain}), starting one on first use, so that many CLI calls share one SSH login. When no
 * holder can be used (it died, hangs, or will not start) the call falls back to an SSH connection
 * of its own, and keeps it for the rest of the call; forwards too when the holder runs in another
 * network namespace, whose 127.0.0.1 is not this call's.
 *
 * <p>Login happens in the holder, which has no terminal: a second factor it is asked is relayed
 * to the terminal of the call that started it ({@link PromptRelay}).
 */
public final class HeldShell implements Shell {
  private static final Logger LOG = LoggerFactory.getLogger(HeldShell.class);
  /** How long the holder gets to answer beyond a command's own timeout before it counts as hung. */
  private static final Duration MARGIN = Duration.ofSeconds(30);

  private final HpcConfig hpc;
  private final Path stateDir;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "held-shell-deadline");
    t.setDaemon(true);
    return t;
  });
  private final Object lock = new Object();
  private boolean decided; // guarded by lock
  private HolderFolder folder; // guarded by lock; null once this call uses its own connection
  private SshShell own; // guarded by lock
  private Boolean sameNetwork; // guarded by lock; null until a forward is first asked
  private volatile Path home;

  private HeldShell(HpcConfig hpc, Path stateDir) {
    this.hpc = hpc;
    this.stateDir = stateDir;
  }

  /** A held shell for {@code hpc}, or a plain {@link SshShell} when {@code hpc.persist} is 0. */
  public static Shell forConfig(HpcConfig hpc, Path stateDir) {
    return hpc.persist().isZero() ? new SshShell(hpc) : new HeldShell(hpc, stateDir);
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    return command(HolderProtocol.RUN, argv, timeout);
  }

  @Override
  public CommandResult runOnce(List<String> argv, Duration timeout) {
    return command(HolderProtocol.RUN_ONCE, argv, timeout);
  }

  private CommandResult command(int op, List<String> argv, Duration timeout) {
    HolderFolder f = route();
    if (f != null) {
      try (HolderClient c = HolderClient.open(f, timeout.plus(MARGIN), timer)) {
        c.out.writeInt(op);
        c.out.writeLong(timeout.toMillis());
        HolderProtocol.writeArgv(c.out, argv);
        c.send();
        try {
          c.expectOk();
          return new CommandResult(c.in.readInt(), HolderProtocol.readText(c.in),
              HolderProtocol.readText(c.in));
        } catch (IOException e) {
          if (op == HolderProtocol.RUN_ONCE) {
            abandon(f, e);
            throw new OperationFailedException("the connection holder went away while running "
                + argv.get(0) + "; it may or may not have finished", e);
          }
          throw e;
        }
      } catch (HolderClient.Refused e) {
        throw new OperationFailedException(e.getMessage(), e);
      } catch (IOException e) {
        // Nothing ran, or what ran is safe to repeat (run's contract): on our own connection.
        abandon(f, e);
      }
    }
    return op == HolderProtocol.RUN ? own().run(argv, timeout) : own().runOnce(argv, timeout);
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) {
    HolderFolder f = route();
    if (f != null) {
      try (HolderClient c = HolderClient.open(f, SHORT_TIMEOUT.plus(MARGIN), timer)) {
        c.out.writeInt(HolderProtocol.WRITE);
        HolderProtocol.writeText(c.out, path);
        c.out.writeInt(mode);
        HolderProtocol.writeBytes(c.out, content);
        c.send();
        c.expectOk();
        return;
      } catch (HolderClient.Refused e) {
        throw new OperationFailedException(e.getMessage(), e);
      } catch (IOException e) {
        // Writes are atomic renames: repeating one is safe.
        abandon(f, e);
      }
    }
    own().writeFile(path, content, mode);
  }

  @Override
  public byte[] readFile(String path) {
    HolderFolder f = route();
    if (f != null) {
      try (HolderClient c = HolderClient.open(f, SHORT_TIMEOUT.plus(MARGIN), timer)) {
        c.out.writeInt(HolderProtocol.READ);
        HolderProtocol.writeText(c.out, path);
        c.send();
        c.expectOk();
        return HolderProtocol.readBytes(c.in, HolderProtocol.MAX_BYTES);
      } catch (HolderClient.Refused e) {
        throw new OperationFailedException(e.getMessage(), e);
      } catch (IOException e) {
        abandon(f, e);
      }
    }
    return own().readFile(path);
  }

  @Override
  public InetSocketAddress reach(String host, int port) {
    HolderFolder f = routeForward();
    if (f != null) {
      try (HolderClient c = HolderClient.open(f, SHORT_TIMEOUT.plus(MARGIN), timer)) {
        c.out.writeInt(HolderProtocol.REACH);
        HolderProtocol.writeText(c.out, host);
        c.out.writeInt(port);
        c.send();
        c.expectOk();
        return new InetSocketAddress("127.0.0.1", c.in.readInt());
      } catch (HolderClient.Refused e) {
        throw new OperationFailedException(e.getMessage(), e);
      } catch (IOException e) {
        abandon(f, e);
      }
    }
    return own().reach(host, port);
  }

  /** A forward held by the holder for as long as the returned tunnel stays open. */
  @Override
  public Optional<SshTunnel> holdTunnel(String host, int port, int localPort) {
    HolderFolder f = routeForward();
    if (f != null) {
      HolderClient c = null;
      try {
        c = HolderClient.open(f, SHORT_TIMEOUT.plus(MARGIN), timer);
        c.out.writeInt(HolderProtocol.HOLD);
        HolderProtocol.writeText(c.out, host);
        c.out.writeInt(port);
        c.out.writeInt(localPort);
        c.send();
        c.expectOk();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", c.in.readInt());
        c.keepOpen();
        HolderClient held = c;
        return Optional.of(new SshTunnel() {
          @Override
          public InetSocketAddress localAddress() {
            return address;
          }

          @Override
          public void close() {
            held.finish(Holders.PING_TIMEOUT, timer);
          }
        });
      } catch (HolderClient.Refused e) {
        c.close();
        throw new OperationFailedException(e.getMessage(), e);
      } catch (IOException e) {
        if (c != null) {
          c.close();
        }
        abandon(f, e);
      }
    }
    return own().holdTunnel(host, port, localPort);
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  @Override
  public Path home() {
    Path h = home;
    if (h != null) {
      return h;
    }
    HolderFolder f = route();
    if (f != null) {
      try (HolderClient c = HolderClient.open(f, SHORT_TIMEOUT.plus(MARGIN), timer)) {
        c.out.writeInt(HolderProtocol.HOME);
        c.send();
        c.expectOk();
        h = Path.of(HolderProtocol.readText(c.in));
      } catch (HolderClient.Refused e) {
        throw new OperationFailedException(e.getMessage(), e);
      } catch (IOException e) {
        abandon(f, e);
      }
    }
    if (h == null) {
      h = own().home();
    }
    home = h;
    return h;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (lock) {
      if (own != null) {
        own.close();
      }
    }
  }

  @Override
  public String toString() {
    return hpc.username().map(u -> u + "@").orElse("") + hpc.hostname() + ":" + hpc.port();
  }

  /** The holder's folder to hand work to, or null when this call uses its own connection. */
  private HolderFolder route() {
    synchronized (lock) {
      if (!decided) {
        decided = true;
        folder = Holders.startOrFind(hpc, stateDir, timer, PromptSource.terminal()).orElse(null);
      }
      return folder;
    }
  }

  /**
   * The holder's folder to ask a forward of, or null for this call's own connection: a holder's
   * forwards listen on 127.0.0.1 of its own network namespace, which is ours only if it runs in ours
   * (a call in a container or `ip netns exec` that shares the state folder would get a port that is
   * not there, or another program's).
   */
  private HolderFolder routeForward() {
    HolderFolder f = route();
    if (f == null) {
      return null;
    }
    synchronized (lock) {
      if (sameNetwork == null) {
        sameNetwork = sameNetwork(f);
        if (!sameNetwork) {
          LOG.info("the connection holder in {} runs in another network namespace than this call, or in one"
              + " it cannot tell; forwards go through a connection of this call's own", f.dir());
        }
      }
      return sameNetwork ? f : null;
    }
  }

  /** Whether the holder recorded in {@code f} runs in this JVM's network namespace (false when unknown). */
  private static boolean sameNetwork(HolderFolder f) {
    Optional<String> ours = HolderProcess.ownNetwork();
    if (ours.isEmpty()) {
      return true; // no /proc/self/ns: nothing to tell apart
    }
    return HolderProcess.read(f.process()).flatMap(HolderProcess::network).equals(ours);
  }

  private void abandon(HolderFolder f, IOException why) {
    LOG.info("the connection holder in {} did not answer ({}); using a connection of this call's own",
        f.dir(), why.getMessage());
    synchronized (lock) {
      folder = null;
    }
  }

  private SshShell own() {
    synchronized (lock) {
      if (own == null) {
        own = new SshShell(hpc);
      }
      return own;
    }
  }
}
