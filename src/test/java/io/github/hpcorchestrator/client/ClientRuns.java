package io.github.hpcorchestrator.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans for the client tests and a way to run one in this JVM and read what it wrote. */
final class ClientRuns {
  private ClientRuns() {}

  /** What one in-process run returned and wrote. */
  record Result(int exit, String err, ClientSummary summary, List<String> lines) {
    ClientSummary.Stage measured() {
      return summary.stage("measured").orElseThrow();
    }
  }

  static ClientPlan.Workload workload(String type, String path, int maxTokens) {
    return new ClientPlan.Workload(type, Optional.empty(), path, Map.of(), Optional.empty(),
        type.equals("http") ? Optional.empty() : Optional.of("sim"),
        type.equals("http") ? Optional.empty() : Optional.of(maxTokens), Optional.empty(), 30);
  }

  static ClientPlan.Load closed(int concurrency, int requests, int warmup) {
    return new ClientPlan.Load(Optional.of(concurrency), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(requests), Optional.empty(), Optional.of(warmup), Optional.empty(), 1);
  }

  static ClientPlan.Load open(double rate, String arrivals, double seconds) {
    return new ClientPlan.Load(Optional.empty(), Optional.of(rate), Optional.of(arrivals), Optional.empty(),
        Optional.empty(), Optional.of(seconds), Optional.empty(), Optional.empty(), 1);
  }

  static ClientPlan plan(String url, ClientPlan.Workload workload, ClientPlan.Load load) {
    return new ClientPlan("chat_0123abcd", new ClientPlan.Target(url, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()), workload,
        new ClientPlan.Prompts(Optional.of(List.of("Hello there", "Tell me a story")), Optional.empty(),
            Optional.empty()), load, 0.0);
  }

  /** Writes {@code plan} into {@code dir} and runs it there to its end. */
  static Result run(Path dir, ClientPlan plan) throws IOException {
    Path file = dir.resolve("client.json");
    Files.writeString(file, plan.toJson());
    return runFile(dir, file);
  }

  static Result runFile(Path dir, Path planFile) throws IOException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path out = dir.resolve("out");
    int exit = new ClientMain().execute(new String[] {"--plan", planFile.toString(), "--out", out.toString()},
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Path summary = out.resolve("summary.json");
    return new Result(exit, err.toString(StandardCharsets.UTF_8),
        Files.exists(summary) ? ClientSummary.fromJson(Files.readString(summary)) : null,
        Files.exists(out.resolve("requests.jsonl")) ? Files.readAllLines(out.resolve("requests.jsonl")) : List.of());
  }
}
