package io.github.hpcorchestrator.client;

import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Python's http.server (HTTP/1.1, keep-alive, threaded) serving a folder on a free loopback port. */
final class PythonHttpServer implements AutoCloseable {
  private static final String SCRIPT = String.join("\n",
      "import functools, http.server, sys",
      "class H(http.server.SimpleHTTPRequestHandler):",
      "    protocol_version = 'HTTP/1.1'",
      "    def log_message(self, *a): pass",
      "h = functools.partial(H, directory=sys.argv[2])",
      "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), h).serve_forever()");

  private final Process process;
  private final int port;

  PythonHttpServer(Path folder) throws IOException, InterruptedException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    process = new ProcessBuilder(List.of("python3", "-c", SCRIPT, Integer.toString(port), folder.toString()))
        .redirectErrorStream(true).redirectOutput(folder.resolveSibling("python-server.log").toFile()).start();
    try {
      Await.until("python3 http.server listening on port " + port, Duration.ofSeconds(20),
          () -> process.isAlive() && accepts());
    } catch (AssertionError | RuntimeException e) {
      close();
      throw e;
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
