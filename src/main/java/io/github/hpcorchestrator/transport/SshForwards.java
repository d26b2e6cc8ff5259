package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local port forwards through one {@link SshConnection}, restarted on the same local ports when
 * the connection is reopened.
 */
final class SshForwards {
  private static final Logger LOG = LoggerFactory.getLogger(SshForwards.class);

  private final SshConnection connection;
  private final Object lock = new Object();
  private final Map<String, Forward> reachable = new LinkedHashMap<>(); // guarded by lock
  private final Set<Forward> forwards = new LinkedHashSet<>(); // guarded by lock

  /** Forwards through {@code connection}, following it when it reconnects. */
  SshForwards(SshConnection connection) {
    this.connection = connection;
    connection.onReconnect(this::restartAll);
  }

  /** The address of a forward to {@code host:port}, the same one for the same target until closed. */
  InetSocketAddress reach(String host, int port) {
    // The session first, outside our lock: connecting calls restartAll under the connection's lock.
    ClientSession s = connection.session();
    synchronized (lock) {
      String key = host + ":" + port;
      Forward f = reachable.get(key);
      if (f == null) {
        f = new Forward(host, port, 0);
        f.start(s);
        reachable.put(key, f);
        forwards.add(f);
      }
      return new InetSocketAddress("127.0.0.1", f.localPort);
    }
  }

  /** Forwards 127.0.0.1:{@code localPort} (0: any) to {@code host:port} until the tunnel is closed. */
  SshTunnel hold(String host, int port, int localPort) {
    ClientSession s = connection.session();
    Forward f = new Forward(host, port, localPort);
    synchronized (lock) {
      f.start(s);
      forwards.add(f);
    }
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", f.localPort);
    return new SshTunnel() {
      @Override
      public InetSocketAddress localAddress() {
        return address;
      }

      @Override
      public void close() {
        // The session before our lock, as in reach().
        ClientSession current = connection.currentSession();
        synchronized (lock) {
          if (forwards.remove(f)) {
            f.stop(current);
          }
        }
      }
    };
  }

  /** Stops every forward; their local ports are free afterwards. */
  void closeAll() {
    ClientSession s = connection.currentSession();
    synchronized (lock) {
      for (Forward f : forwards) {
        f.stop(s);
      }
      forwards.clear();
      reachable.clear();
    }
  }

  private void restartAll(ClientSession s) {
    List<Forward> all;
    synchronized (lock) {
      all = new ArrayList<>(forwards);
      for (Forward f : all) {
        try {
          f.start(s);
        } catch (OperationFailedException e) {
          LOG.warn("{}", e.getMessage());
        }
      }
    }
  }

  /** One local port forward; keeps its local port across restarts. */
  private final class Forward {
    final String host;
    final int port;
    int localPort;
    SshdSocketAddress bound;

    Forward(String host, int port, int localPort) {
      this.host = host;
      this.port = port;
      this.localPort = localPort;
    }

    void start(ClientSession s) {
      try {
        bound = s.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", localPort),
            new SshdSocketAddress(host, port));
        localPort = bound.getPort();
      } catch (IOException e) {
        throw new OperationFailedException("cannot forward 127.0.0.1:" + localPort + " to "
            + host + ":" + port + " through " + connection + ": "
            + SshConnection.describe(e), e);
      }
    }

    void stop(ClientSession s) {
      if (bound != null && s != null && s.isOpen()) {
        try {
          s.stopLocalPortForwarding(bound);
        } catch (IOException e) {
          LOG.debug("stopping forward {}: {}", bound, SshConnection.describe(e));
        }
      }
      bound = null;
    }
  }
}
