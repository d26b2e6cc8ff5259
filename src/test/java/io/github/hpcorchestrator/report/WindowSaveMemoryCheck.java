package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.RawHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Run by {@link WindowSaveMemoryTest} in a JVM with a small heap: saves a window whose one piece
 * is {@code args[1]} MB (generated as it is sent) to {@code args[0]}; exits 0 when the file holds it.
 */
public final class WindowSaveMemoryCheck {
  private WindowSaveMemoryCheck() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    long bytes = Long.parseLong(args[1]) * 1024 * 1024;
    try (RawHttpServer server = new RawHttpServer((target, out) -> {
      if (target.startsWith("/api/v1/label/")) {
        RawHttpServer.json(out, "{\"status\":\"success\",\"data\":[\"big\"]}");
        return;
      }
      RawHttpServer.chunkedHeader(out);
      RawHttpServer.chunk(out, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
      if (target.contains("big")) {
        StringBuilder values = new StringBuilder("[1700000000.5,\"1\"]");
        for (int i = 1; i < 1000; i++) {
          values.append(",[").append(1700000000 + i).append(",\"").append(i).append("\"]");
        }
        long sent = 0;
        for (int i = 0; sent < bytes; i++) {
          String series = (i > 0 ? "," : "") + "{\"metric\":{\"__name__\":\"big\",\"job\":\"j\",\"i\":\"" + i
              + "\"},\"values\":[" + values + "]}";
          RawHttpServer.chunk(out, series);
          sent += series.length();
        }
      }
      RawHttpServer.chunk(out, "]}}");
      RawHttpServer.chunk(out, "");
    })) {
      PrometheusClient client = new PrometheusClient(server.uri(), Optional.empty(), Optional.empty(),
          Duration.ofSeconds(5), Duration.ofSeconds(120), 2 * bytes);
      ReportWindow window = new ReportWindow(Instant.ofEpochSecond(1700000000), Instant.ofEpochSecond(1700000999),
          Duration.ofSeconds(1));
      new WindowSave(client).save(file, window, List.of("up"), List.of("j"));
    }
    System.exit(Files.size(file) > bytes ? 0 : 3);
  }
}
