package io.github.hpcorchestrator.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one request to a throwaway loopback socket of this process before the run's clock starts, so
 * the HTTP client's first-use cost (class loading, its selector thread; ~300 ms) is not charged to the
 * first planned sends as queue delay, and the target sees no extra request.
 */
final class ClientWarmup {
  private ClientWarmup() {}

  /** Runs the warm-up request through {@code client} and an {@link Exchange} of {@code type}; best effort. */
  static void run(HttpClient client, String type) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> answer(socket));
      CompletableFuture<Void> ended = new CompletableFuture<>();
      Exchange x = new Exchange(0, false, -1, 0, type, System::nanoTime, r -> ended.complete(null));
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/"))
          .timeout(Duration.ofSeconds(5)).GET().build();
      x.attach(client.sendAsync(request, x));
      ended.get(5, TimeUnit.SECONDS);
      answered.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a warm-up that fails only leaves the first-use cost in place; the run itself is unaffected
    }
  }

  private static void answer(ServerSocket socket) {
    try (Socket s = socket.accept()) {
      s.setSoTimeout(5000);
      byte[] buf = new byte[4096];
      s.getInputStream().read(buf); // the request head; its content does not matter
      OutputStream out = s.getOutputStream();
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the warm-up is best effort
    }
  }
}
