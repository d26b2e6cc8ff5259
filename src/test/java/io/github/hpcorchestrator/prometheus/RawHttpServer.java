package io.github.hpcorchestrator.prometheus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake Prometheus on a raw loopback socket, for answers no well-behaved server gives: bodies of
 * any size written as they are generated, bytes trickled one at a time, or no answer at all. Each
 * connection is served on its own daemon thread; {@link #close} ends them all.
 */
public final class RawHttpServer implements AutoCloseable {
  /** Answers one request; {@code target} is the decoded request target ("/api/v1/query?query=up"). */
  @FunctionalInterface
  public interface Handler {
    void answer(String target, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public RawHttpServer(Handler handler) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          open.add(client);
          Thread serve = new Thread(() -> serve(client, handler), "raw-http-conn");
          serve.setDaemon(true);
          serve.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "raw-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serve(Socket client, Handler handler) {
    try (client) {
      BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
      String requestLine = in.readLine();
      for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
        // Headers are not needed by the fakes.
      }
      if (requestLine == null) {
        return;
      }
      String target = URLDecoder.decode(requestLine.split(" ")[1], StandardCharsets.UTF_8);
      targets.add(target);
      handler.answer(target, client.getOutputStream());
    } catch (IOException e) {
      // The client gave up (deadline, cap): that is what the tests provoke.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server's base URI. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /** The decoded request targets so far, in arrival order. */
  public List<String> targets() {
    return List.copyOf(targets);
  }

  /** Writes a 200 header for a chunked JSON body; the caller writes chunks with {@link #chunk}. */
  public static void chunkedHeader(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One chunk of a chunked body; an empty text ends the body. */
  public static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A whole 200 answer with a Content-Length. */
  public static void json(OutputStream out, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
