package io.github.hpcorchestrator.transport;

import java.net.InetSocketAddress;

/** A local port forwarded through the SSH connection; closing it frees the local port. */
public interface SshTunnel extends AutoCloseable {

  /** Where to connect on this machine, e.g. 127.0.0.1:9090. */
  InetSocketAddress localAddress();

  @Override
  void close();
}
