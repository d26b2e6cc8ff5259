package io.github.hpcorchestrator.prometheus;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * One HTTP/1.1 GET on a socket of its own, bounded twice: the whole exchange (connect, TLS, headers,
 * body) ends by a deadline, and the body may not exceed a byte cap. Each read waits at most until
 * the deadline, so a server that trickles one byte at a time cannot hold the caller past it.
 *
 * <p>Its own socket because {@link java.net.HttpURLConnection} only bounds each read, and cannot be
 * interrupted from another thread while it reads a body.
 */
final class HttpGet {
  /** The deadline passed before the answer was complete. */
  static final class DeadlineException extends IOException {
    DeadlineException() {
      super("deadline passed");
    }
  }

  /** The body grew past the cap. */
  static final class TooLargeException extends IOException {
    TooLargeException() {
      super("answer too large");
    }
  }

  /** Reads a response body; the stream ends where the body ends. */
  @FunctionalInterface
  interface BodyReader<T> {
    T read(int status, InputStream body) throws IOException;
  }

  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private HttpGet() {}

  /**
   * GETs {@code uri} and hands the status and body to {@code reader}; the socket is closed when it
   * returns.
   *
   * @throws DeadlineException if {@code deadline} passes first
   * @throws TooLargeException if the body holds more than {@code maxBytes}
   */
  static <T> T get(URI uri, Map<String, String> headers, Optional<SSLContext> tls, Duration connectTimeout,
      Instant deadline, long maxBytes, BodyReader<T> reader) throws IOException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (!https && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IOException("not an http(s) URL: " + uri);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.min(connectTimeout.toMillis(),
          remainingMillis(deadline)));
      Socket socket = plain;
      if (https) {
        javax.net.ssl.SSLSocketFactory factory = tls.isPresent() ? tls.get().getSocketFactory()
            : (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault();
        socket = factory.createSocket(plain, uri.getHost(), port, true);
      }
      try (Socket open = socket) {
        // Also bounds the TLS handshake, which runs within the first write.
        open.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis(deadline))));
        OutputStream out = open.getOutputStream();
        out.write(request(uri, port, headers).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new BufferedInputStream(new DeadlineStream(open, deadline), 64 * 1024);
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
          throw new IOException("not an HTTP answer");
        }
        int status;
        try {
          status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          throw new IOException("not an HTTP answer");
        }
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
          int colon = header.indexOf(':');
          String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = colon < 0 ? "" : header.substring(colon + 1).trim();
          if (name.equals("content-length")) {
            length = parseLength(value);
          } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
            chunked = true;
          }
        }
        if (length > maxBytes) {
          throw new TooLargeException();
        }
        InputStream body = chunked ? new ChunkedStream(in) : length >= 0 ? new LimitedStream(in, length) : in;
        return reader.read(status, new CappedStream(body, maxBytes));
      }
    } catch (SocketTimeoutException e) {
      // A timeout that ends with the deadline is the deadline; one before it is the connect timeout.
      if (remainingMillis(deadline) <= 10) {
        throw new DeadlineException();
      }
      throw e;
    }
  }

  private static String request(URI uri, int port, Map<String, String> headers) {
    String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
        : uri.getHost();
    StringBuilder text = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(':').append(port).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
    return text.append("\r\n").toString();
  }

  private static long parseLength(String value) throws IOException {
    try {
      long length = Long.parseLong(value);
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IOException("bad Content-Length " + value);
  }

  /** One header line without its CRLF; the header section as a whole is bounded. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed before the answer's headers ended");
      }
      if (bytes.size() >= MAX_HEADER_BYTES) {
        throw new IOException("header line longer than " + MAX_HEADER_BYTES + " bytes");
      }
      bytes.write(b);
    }
    String text = bytes.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static long remainingMillis(Instant deadline) {
    return Duration.between(Instant.now(), deadline).toMillis();
  }

  /** The socket's bytes, each read waiting no longer than the deadline allows. */
  private static final class DeadlineStream extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Instant deadline;

    DeadlineStream(Socket socket, Instant deadline) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long left = remainingMillis(deadline);
      if (left <= 0) {
        throw new DeadlineException();
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      try {
        return in.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw new DeadlineException();
      }
    }
  }

  /** A body of known length. */
  private static final class LimitedStream extends InputStream {
    private final InputStream in;
    private long left;

    LimitedStream(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("connection closed before the answer's body ended");
      }
      left -= n;
      return n;
    }
  }

  /** A body in HTTP/1.1 chunked transfer encoding (what Go servers use for large answers). */
  private static final class ChunkedStream extends InputStream {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkLeft == 0) {
        String size = line(in);
        int semicolon = size.indexOf(';');
        try {
          chunkLeft = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size in the answer");
        }
        if (chunkLeft < 0) {
          throw new IOException("bad chunk size in the answer");
        }
        if (chunkLeft == 0) {
          for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            // Trailers carry nothing the client needs.
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new IOException("connection closed in the middle of the answer");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        line(in);
      }
      return n;
    }
  }

  /** Fails once more than {@code max} bytes went through. */
  private static final class CappedStream extends InputStream {
    private final InputStream in;
    private final long max;
    private long count;

    CappedStream(InputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        if (count > max) {
          throw new TooLargeException();
        }
      }
      return n;
    }
  }
}
