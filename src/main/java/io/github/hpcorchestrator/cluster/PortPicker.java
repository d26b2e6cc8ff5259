package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Chooses a port on this machine: the requested one when nobody listens there, else a free one. */
public final class PortPicker {
  private static final int MAX_ATTEMPTS = 100;
  private final InetAddress bindAddress;

  public PortPicker(InetAddress bindAddress) {
    this.bindAddress = bindAddress;
  }

  /** {@code requested} if it can be bound now, otherwise a port the kernel hands out as free. */
  public int pick(int requested) {
    return pick(requested, java.util.Set.of());
  }

  /**
   * Like {@link #pick(int)}, but never one of {@code taken}: ports already handed to jobs that may
   * not have bound them yet, which a bind test alone cannot see.
   */
  public int pick(int requested, java.util.Set<Integer> taken) {
    if (requested > 0 && !taken.contains(requested) && canBind(requested)) {
      return requested;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port = kernelPick();
      if (!taken.contains(port)) {
        return port;
      }
    }
    throw new OperationFailedException("no free port on " + bindAddress.getHostAddress() + " outside the "
        + taken.size() + " ports already handed out (" + MAX_ATTEMPTS + " tries)");
  }

  private int kernelPick() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(bindAddress, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new OperationFailedException("no free port on " + bindAddress.getHostAddress(), e);
    }
  }

  /** Whether a listener could bind {@code port} right now on the wildcard and loopback addresses. */
  public boolean canBind(int port) {
    return bindable(new InetSocketAddress(port)) && bindable(new InetSocketAddress(bindAddress, port));
  }

  private static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
