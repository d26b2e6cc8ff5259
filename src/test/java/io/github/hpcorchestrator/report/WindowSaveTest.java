package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.RawHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 4: a monitor's window is saved piece by piece, each piece streamed and bounded. */
class WindowSaveTest {
  private static final Instant T0 = Instant.parse("2025-03-04T12:00:00Z");
  private static final ReportWindow WINDOW = new ReportWindow(T0, T0.plusSeconds(30), Duration.ofSeconds(15));
  private static final Pattern NAME = Pattern.compile("__name__=\"([^\"]+)\"");
  private static final List<String> NAMES = List.of("node_a", "node_b", "node_c");

  @TempDir Path dir;
  private RawHttpServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Two series per metric name of job node; "up" has one. */
  private static String matrixFor(String target) {
    Matcher name = NAME.matcher(target);
    String metric = name.find() ? name.group(1) : "up";
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"__name__\":\"" + metric + "\",\"instance\":\"n1\",\"job\":\"node\"},"
        + "\"values\":[[1741089600.5,\"1\"],[1741089615,\"2\"]]},"
        + "{\"metric\":{\"__name__\":\"" + metric + "\",\"instance\":\"n2\",\"job\":\"node\"},"
        + "\"values\":[[1741089630,\"3\"]]}]}}";
  }

  private void serve() throws Exception {
    server = new RawHttpServer((target, out) -> {
      if (target.startsWith("/api/v1/label/__name__/values?")) {
        RawHttpServer.json(out, "{\"status\":\"success\",\"data\":[\"node_a\",\"node_b\",\"node_c\"]}");
      } else {
        RawHttpServer.chunkedHeader(out);
        RawHttpServer.chunk(out, matrixFor(target));
        RawHttpServer.chunk(out, "");
      }
    });
  }

  private PrometheusClient client(long maxBytes) {
    return new PrometheusClient(server.uri(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2),
        Duration.ofSeconds(10), maxBytes);
  }

  @Test
  void savesEachJobOneMetricNameAtATime() throws Exception {
    serve();
    Path file = dir.resolve("session-metrics.json");

    int pieces = new WindowSave(client(1 << 20)).save(file, WINDOW, List.of("up"), List.of("node"));

    assertThat(pieces).isEqualTo(4);
    List<String> targets = server.targets();
    assertThat(targets).hasSize(5);
    assertThat(targets.get(0)).startsWith("/api/v1/query_range?").contains("query=up&");
    assertThat(targets.get(1)).startsWith("/api/v1/label/__name__/values?").contains("match[]={job=\"node\"}");
    for (int i = 0; i < NAMES.size(); i++) {
      assertThat(targets.get(2 + i)).startsWith("/api/v1/query_range?")
          .contains("query={job=\"node\",__name__=\"" + NAMES.get(i) + "\"}");
    }
    SavedMetrics saved = SavedMetrics.read(file);
    assertThat(saved.window()).isEqualTo(WINDOW);
    assertThat(saved.queries()).containsExactly("up", "{job=\"node\"}");
    assertThat(saved.answers().get("{job=\"node\"}").series()).extracting(s -> s.metric().get("__name__") + "@"
        + s.metric().get("instance"))
        .containsExactly("node_a@n1", "node_a@n2", "node_b@n1", "node_b@n2", "node_c@n1", "node_c@n2");
  }

  @Test
  void fileIsTheOneTheWholeAnswersWouldHaveGiven() throws Exception {
    serve();
    Path streamed = dir.resolve("streamed.json");
    new WindowSave(client(1 << 20)).save(streamed, WINDOW, List.of("up"), List.of("node"));

    // What SavedMetricsWriter writes from the same answers held whole.
    ObjectMapper json = new ObjectMapper();
    StringBuilder all = new StringBuilder();
    for (String name : NAMES) {
      String result = json.readTree(matrixFor("__name__=\"" + name + "\"")).path("data").path("result").toString();
      all.append(all.length() == 0 ? "" : ",").append(result, 1, result.length() - 1);
    }
    Map<String, QueryResult> answers = new LinkedHashMap<>();
    answers.put("up", QueryResult.fromResponse(json.readTree(matrixFor("up"))));
    answers.put("{job=\"node\"}", QueryResult.fromResponse(json.readTree(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + all + "]}}")));
    Path whole = dir.resolve("whole.json");
    SavedMetricsWriter.write(whole, WINDOW, answers);

    assertThat(Files.readString(streamed)).isEqualTo(Files.readString(whole)).contains("1741089600.5");
  }

  @Test
  void aGzNameIsWrittenCompressedCompactAndReadsBackAsThePlainFileDoes() throws Exception {
    serve();
    Path plain = dir.resolve("session-metrics.json");
    Path gz = dir.resolve("session-metrics.json.gz");
    new WindowSave(client(1 << 20)).save(plain, WINDOW, List.of("up"), List.of("node"));
    new WindowSave(client(1 << 20)).save(gz, WINDOW, List.of("up"), List.of("node"));

    byte[] bytes = Files.readAllBytes(gz);
    assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
    assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
    ObjectMapper json = new ObjectMapper();
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text).doesNotContain("\n  ").contains("1741089600.5");
      assertThat(json.readTree(text)).isEqualTo(json.readTree(plain.toFile()));
    }
    SavedMetrics fromGz = SavedMetrics.read(gz);
    SavedMetrics fromPlain = SavedMetrics.read(plain);
    assertThat(fromGz.window()).isEqualTo(fromPlain.window());
    assertThat(fromGz.answers().keySet()).containsExactlyElementsOf(fromPlain.answers().keySet());
    fromPlain.answers().forEach((promql, answer) ->
        assertThat(fromGz.answers().get(promql).series()).isEqualTo(answer.series()));
    // What SavedMetricsWriter writes under a .gz name (a live report's save) is the same document.
    Path written = dir.resolve("written.json.gz");
    SavedMetricsWriter.write(written, fromPlain.window(), fromPlain.answers());
    assertThat(SavedMetrics.read(written).answers().get("up").series()).isEqualTo(fromPlain.answers().get("up").series());
  }

  @Test
  void aCorruptGzIsOneInputErrorNamingTheFile() throws Exception {
    Path gz = Files.write(dir.resolve("session-metrics.json.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});

    assertThatThrownBy(() -> SavedMetrics.read(gz))
        .isInstanceOf(io.github.hpcorchestrator.InputException.class)
        .hasMessageContaining(gz.toString())
        .hasMessageNotContaining("\n");
  }

  @Test
  void pieceOverTheCapFailsInOneLineAndKeepsTheOldFile() throws Exception {
    serve();
    Path file = Files.writeString(dir.resolve("session-metrics.json"), "old\n");

    assertThatThrownBy(() -> new WindowSave(client(200)).save(file, WINDOW, List.of("up"), List.of("node")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("is larger than limits.max_answer_bytes (200 bytes)")
        .hasMessageNotContaining("\n");

    assertThat(Files.readString(file)).isEqualTo("old\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("session-metrics.json");
    }
  }

  @Test
  void reportReadsBackOnlyWhatItPlotsEachBounded() throws Exception {
    serve();
    Path file = dir.resolve("session-metrics.json");
    new WindowSave(client(1 << 20)).save(file, WINDOW, List.of("up"), List.of("node"));

    SavedMetrics forReport = SavedMetrics.read(file, Set.of("up"), 1024);

    assertThat(forReport.queries()).containsExactly("up");
    assertThatThrownBy(() -> SavedMetrics.read(file, null, 1024))
        .hasMessageStartingWith(file + ":")
        .hasMessageEndingWith("queries.{job=\"node\"}: larger than limits.max_answer_bytes (1024 bytes);"
            + " raise the limit to read it");
  }
}
