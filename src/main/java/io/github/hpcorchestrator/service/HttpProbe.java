package io.github.hpcorchestrator.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One readiness probe: an HTTP GET that must answer 2xx, or a TCP connect when there is no endpoint. */
public final class HttpProbe {
  private final Duration connectTimeout;
  private HttpClient client;

  public HttpProbe(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  // Made on first use: an HttpClient starts a selector thread, and a thread waiting in native code
  // holds up JVM exit by about 300 ms, which every CLI call that never probes would pay.
  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }
    return client;
  }

  /** The HTTP status of GET {@code http://address/path}, or -1 when nothing answers. */
  public int get(InetSocketAddress address, String path, Duration timeout) {
    try {
      URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
      return client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Whether a TCP connection to {@code address} is accepted within {@code timeout}. */
  public boolean accepts(InetSocketAddress address, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
