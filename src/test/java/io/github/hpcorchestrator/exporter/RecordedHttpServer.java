package io.github.hpcorchestrator.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a service on 127.0.0.1 with a free port, answering recorded responses by path
 * (404 for others). A path set {@link #hang hanging} holds its answer until the server is closed,
 * so a client with a timeout sees a slow service without the test sleeping.
 */
final class RecordedHttpServer implements AutoCloseable {

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  RecordedHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Answers {@code path} with {@code status} and the test resource {@code resource} (relative to this class). */
  RecordedHttpServer answer(String path, int status, String resource) {
    return answerText(path, status, resource(resource));
  }

  /** Answers {@code path} with {@code status} and {@code body}. */
  RecordedHttpServer answerText(String path, int status, String body) {
    answers.put(path, new Answer(status, body));
    return this;
  }

  /** Makes {@code path} answer only when the server closes. */
  RecordedHttpServer hang(String path) {
    hanging.put(path, true);
    return this;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  URI uri(String path) {
    return URI.create(uri() + path);
  }

  /** Stops listening now; hanging requests are released. Later connections are refused. */
  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  static String resource(String name) {
    try (InputStream in = RecordedHttpServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (hanging.containsKey(path)) {
        try {
          // The thing under test is the client's timeout; this only bounds a broken test.
          closed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      Answer answer = answers.getOrDefault(path, new Answer(404, "404 page not found"));
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          answer.body().startsWith("{") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
