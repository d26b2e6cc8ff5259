package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 4: every answer from a Prometheus is bounded in size and in time, whatever the
 * server does (a fake on a raw socket sends what a real one would not).
 */
class BoundedAnswersTest {
  private static final long ONE_MIB = 1024 * 1024;
  private static final String SERIES = "{\"metric\":{\"__name__\":\"up\",\"job\":\"node\",\"instance\":\"n%d:9100\"},"
      + "\"value\":[1700000000,\"1\"]},";

  private RawHttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  private PrometheusClient client(Duration deadline, long maxBytes) {
    return new PrometheusClient(server.uri(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2), deadline,
        maxBytes);
  }

  @Test
  void hugeStreamedAnswerFailsAtTheCapWithoutReadingIt() throws Exception {
    AtomicLong sent = new AtomicLong();
    server = new RawHttpServer((target, out) -> {
      RawHttpServer.chunkedHeader(out);
      RawHttpServer.chunk(out, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
      StringBuilder piece = new StringBuilder();
      for (int i = 0; piece.length() < 64 * 1024; i++) {
        piece.append(String.format(SERIES, i));
      }
      // 50 MB if the client read it all; it must give up after about 1 MB.
      while (sent.get() < 50 * ONE_MIB) {
        RawHttpServer.chunk(out, piece.toString());
        sent.addAndGet(piece.length());
      }
      RawHttpServer.chunk(out, "]}}");
      RawHttpServer.chunk(out, "");
    });
    PrometheusClient client = client(Duration.ofSeconds(30), ONE_MIB);
    Instant start = Instant.now();

    assertThatThrownBy(() -> client.query("up"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("Prometheus at " + server.uri() + ": the answer to /api/v1/query is larger than"
            + " limits.max_answer_bytes (1048576 bytes); narrow the query or raise the limit");

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    // The server notices the closed socket once the kernel buffers are full: far below 50 MB.
    assertThat(awaitStable(sent)).as("bytes the server could send").isLessThan(20 * ONE_MIB);
  }

  @Test
  void announcedHugeAnswerIsRefusedBeforeItsBody() throws Exception {
    server = new RawHttpServer((target, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + 50 * ONE_MIB + "\r\n\r\n{")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      release.await(20, TimeUnit.SECONDS);
    });

    assertThatThrownBy(() -> client(Duration.ofSeconds(30), ONE_MIB).queryRange("up",
        Instant.ofEpochSecond(1700000000), Instant.ofEpochSecond(1700000600), Duration.ofSeconds(15)))
        .hasMessageContaining("the answer to /api/v1/query_range is larger than limits.max_answer_bytes (1048576 bytes)");
  }

  @Test
  void tricklingBodyFailsAtTheTotalDeadline() throws Exception {
    server = new RawHttpServer((target, out) -> {
      RawHttpServer.chunkedHeader(out);
      // One byte a second: every read gets something, so a per-read timeout never fires.
      while (release.getCount() > 0) {
        RawHttpServer.chunk(out, " ");
        release.await(1, TimeUnit.SECONDS);
      }
    });
    PrometheusClient client = client(Duration.ofSeconds(3), ONE_MIB);
    Instant start = Instant.now();

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> client.query("up"))
        .isInstanceOf(NotReachableException.class)
        .hasMessage("Prometheus at " + server.uri() + " not reachable: no complete answer within 3s"));

    Duration took = Duration.between(start, Instant.now());
    assertThat(took).isBetween(Duration.ofMillis(2900), Duration.ofMillis(4500));
  }

  @Test
  void tricklingHeadersFailAtTheTotalDeadline() throws Exception {
    server = new RawHttpServer((target, out) -> {
      for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1)) {
        out.write(b);
        out.flush();
        release.await(400, TimeUnit.MILLISECONDS);
      }
      while (release.getCount() > 0) {
        out.write('a');
        out.flush();
        release.await(400, TimeUnit.MILLISECONDS);
      }
    });
    PrometheusClient client = client(Duration.ofSeconds(2), ONE_MIB);
    Instant start = Instant.now();

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThatThrownBy(() -> client.activeTargets()).hasMessageEndingWith("not reachable: no complete answer within 2s");
      assertThat(client.ready()).isFalse();
    });

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void streamRangeHandsOverEachSeriesAndChecksTheAnswer() throws Exception {
    server = new RawHttpServer((target, out) -> {
      RawHttpServer.chunkedHeader(out);
      RawHttpServer.chunk(out, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
      for (int i = 0; i < 3; i++) {
        RawHttpServer.chunk(out, (i > 0 ? "," : "") + "{\"metric\":{\"instance\":\"n" + i
            + "\"},\"values\":[[1700000000.5,\"1\"],[1700000015,\"0\"]]}");
      }
      RawHttpServer.chunk(out, "]},\"warnings\":[\"w\"]}");
      RawHttpServer.chunk(out, "");
    });
    List<String> seen = new ArrayList<>();

    int count = client(Duration.ofSeconds(5), ONE_MIB).streamRange("up", Instant.ofEpochSecond(1700000000),
        Instant.ofEpochSecond(1700000015), Duration.ofSeconds(15), parser -> {
          com.fasterxml.jackson.databind.JsonNode series = new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(parser);
          seen.add(series.path("metric").path("instance").asText() + "=" + series.path("values").size());
        });

    assertThat(count).isEqualTo(3);
    assertThat(seen).containsExactly("n0=2", "n1=2", "n2=2");
    assertThat(server.targets()).singleElement().asString().startsWith("/api/v1/query_range?")
        .contains("query=up").contains("step=15");
  }

  @Test
  void streamRangeReportsPromqlErrorsAndNonMatrixAnswers() throws Exception {
    server = new RawHttpServer((target, out) -> {
      if (target.contains("query=bad")) {
        byte[] body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"
            .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 400 Bad Request\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
      } else {
        RawHttpServer.json(out, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{}]}}");
      }
    });
    PrometheusClient client = client(Duration.ofSeconds(5), ONE_MIB);
    Instant t = Instant.ofEpochSecond(1700000000);

    assertThatThrownBy(() -> client.streamRange("bad", t, t, Duration.ofSeconds(1), p -> p.skipChildren()))
        .hasMessage("PromQL error (bad_data): parse error");
    assertThatThrownBy(() -> client.streamRange("vec", t, t, Duration.ofSeconds(1), p -> p.skipChildren()))
        .hasMessage("Prometheus sent an unexpected query result: a range query answered resultType \"vector\","
            + " not a matrix");
  }

  /** The counter once it stopped growing for half a second (the server's writes have ended). */
  private static long awaitStable(AtomicLong counter) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = -1;
    while (System.nanoTime() < end) {
      long now = counter.get();
      if (now == last) {
        return now;
      }
      last = now;
      new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
    }
    return counter.get();
  }
}
