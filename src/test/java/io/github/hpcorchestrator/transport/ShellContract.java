package io.github.hpcorchestrator.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Shell} promises, run against each implementation by a subclass that supplies
 * the shell and a folder both sides see (the test cluster's login node is this machine).
 */
public abstract class ShellContract {
  protected static final Duration T = Duration.ofSeconds(30);

  /** The shell under test; the subclass opens and closes it. */
  protected abstract Shell shell();

  /** A folder that is the same on this machine and on the shell's side. */
  protected abstract Path scratch();

  // ---- run ----

  @Test
  void argumentsArriveLiterallyWithoutShellInjection() {
    CommandResult r = shell().run(List.of("echo", "a b; echo c"), T);

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("a b; echo c\n");
  }

  @Test
  void exitCodesAndStderrPropagate() {
    CommandResult r = shell().runOnce(List.of("sh", "-c", "echo oops >&2; exit 7"), T);

    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.stderr()).isEqualTo("oops\n");
    assertThat(shell().run(List.of("false"), T).exitCode()).isEqualTo(1);
  }

  // Repeated: MINA's read timeout could end a moment early and pass for a dropped connection
  // (12 of 40 runs failed that way).
  @RepeatedTest(5)
  void aCommandPastItsTimeoutFails() {
    assertThatThrownBy(() -> shell().run(List.of("sleep", "10"), Duration.ofSeconds(1)))
        .isInstanceOf(OperationFailedException.class).hasMessageContaining("did not finish");
    assertThat(shell().run(List.of("true"), T).ok()).isTrue();
  }

  @Test
  void homeIsTheHomeItsCommandsSee() {
    String home = shell().run(List.of("sh", "-c", "printf %s \"$HOME\""), T).stdout();

    assertThat(shell().home()).isEqualTo(Path.of(home));
  }

  // ---- files ----

  @Test
  void writeThenReadRoundTripsContentWithTheGivenMode() {
    Path folder = scratch().resolve("round trip " + UUID.randomUUID());
    String path = folder.resolve("f.txt").toString();
    byte[] content = "it's \"quoted\" $HOME `x` \\n\nsecond line\n\0binary\377".getBytes(UTF_8);

    shell().writeFile(path, content, 0600);

    assertThat(shell().readFile(path)).isEqualTo(content);
    assertThat(shell().run(List.of("stat", "-c", "%a", path), T).stdout()).isEqualTo("600\n");
    shell().writeFile(path, "v2".getBytes(UTF_8), 0644);
    assertThat(shell().readFile(path)).isEqualTo("v2".getBytes(UTF_8));
    assertThat(shell().run(List.of("stat", "-c", "%a", path), T).stdout()).isEqualTo("644\n");
    assertThat(shell().run(List.of("ls", "-A", folder.toString()), T).stdout())
        .isEqualTo("f.txt\n");
  }

  @Test
  void pathsWithShellSyntaxAreNotExecuted() throws IOException {
    Path pwned = Path.of("/tmp/pwned-" + UUID.randomUUID());
    String path = scratch().resolve("x;$(touch " + pwned + ");`touch " + pwned + "`").toString();

    shell().writeFile(path, "ok".getBytes(UTF_8), 0600);

    assertThat(pwned).doesNotExist();
    assertThat(Files.readString(Path.of(path))).isEqualTo("ok");
    assertThat(shell().readFile(path)).isEqualTo("ok".getBytes(UTF_8));
    assertThat(pwned).doesNotExist();
  }

  @Test
  void readingAMissingFileGivesNothingAndOtherFailuresThrow() {
    assertThat(shell().readFile(scratch().resolve("does-not-exist").toString())).isEmpty();
    assertThatThrownBy(() -> shell().readFile(scratch().toString()))
        .isInstanceOf(OperationFailedException.class).hasMessageContaining("Is a directory");
  }

  // ---- reaching ports ----

  @Test
  void reachGivesAnAddressWhereTheShellSidesPortAnswers() throws Exception {
    HttpServer http = helloServer();
    try {
      int port = http.getAddress().getPort();
      InetSocketAddress local = shell().reach("127.0.0.1", port);

      assertThat(get(local)).isEqualTo("hello");
      assertThat(shell().reach("127.0.0.1", port)).isEqualTo(local);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aHeldTunnelUsesTheGivenLocalPortUntilClosedOrIsNotNeeded() throws Exception {
    HttpServer http = helloServer();
    int localPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      localPort = free.getLocalPort();
    }
    try {
      Optional<SshTunnel> held = shell().holdTunnel("127.0.0.1", http.getAddress().getPort(),
          localPort);
      assertThat(held.isEmpty()).isEqualTo(shell().isLocal());
      if (held.isEmpty()) {
        return;
      }
      try (SshTunnel tunnel = held.get()) {
        assertThat(tunnel.localAddress().getPort()).isEqualTo(localPort);
        assertThat(get(tunnel.localAddress())).isEqualTo("hello");
      }
    } finally {
      http.stop(0);
    }
    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", localPort).close())
        .isInstanceOf(IOException.class);
  }

  static HttpServer helloServer() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      byte[] body = "hello".getBytes(UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
    return http;
  }

  static String get(InetSocketAddress address) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(
        "http://" + address.getHostString() + ":" + address.getPort() + "/").openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
