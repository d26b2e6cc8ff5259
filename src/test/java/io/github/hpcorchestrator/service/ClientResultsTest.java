package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientResultsTest {
  @Test
  void progressInWords() {
    String json = "{\"state\": \"running\", \"planned\": 100, \"done\": 42, \"errors\": 1, \"current_rate\": 3.94,"
        + " \"p50_ttft\": 0.2013, \"started_at\": \"2026-12-02T13:00:00Z\"}";
    assertThat(ClientResults.words(json.getBytes(StandardCharsets.UTF_8)))
        .contains("42/100 requests, 3.9/s, p50 TTFT 0.201 s, 1 errors (running)");
  }

  @Test
  void aHalfWrittenProgressFileSaysNothing() {
    assertThat(ClientResults.words("{\"state\": \"runn".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(ClientResults.words("{\"planned\": 5, \"done\": 0, \"errors\": 0, \"current_rate\": 0}"
        .getBytes(StandardCharsets.UTF_8))).contains("0/5 requests, 0.0/s, 0 errors");
  }

  @Test
  void progressOfManyJobsTakesOneStat(@TempDir Path dir) throws IOException {
    List<ServiceRecord> jobs = new ArrayList<>();
    for (String id : List.of("bench_00000001", "sleeper_00000002", "bench_00000003", "with space_00000004")) {
      jobs.add(new ServiceRecord(id, id.split("_")[0], "session_1", "local", "1", dir.resolve(id).toString(), 0,
          JobState.RUNNING, "localhost", "localhost", 0, Optional.empty(), Instant.now(), Optional.empty(),
          Optional.empty(), "test.yaml"));
    }
    for (String id : List.of("bench_00000001", "bench_00000003", "with space_00000004")) {
      Path results = Files.createDirectories(dir.resolve(id).resolve(ClientJobs.RESULTS_DIR));
      Files.writeString(results.resolve("progress.json"), id.equals("bench_00000003") ? ""
          : "{\"planned\": 10, \"done\": " + id.length() + ", \"errors\": 0, \"current_rate\": 2}");
    }
    List<List<String>> calls = new ArrayList<>();
    LocalShell local = new LocalShell();
    Shell counted = new Shell() {
      @Override
      public CommandResult run(List<String> argv, Duration timeout) {
        calls.add(argv);
        return local.run(argv, timeout);
      }

      @Override
      public void writeFile(String path, byte[] content, int mode) {
        local.writeFile(path, content, mode);
      }

      @Override
      public byte[] readFile(String path) {
        return local.readFile(path);
      }

      @Override
      public InetSocketAddress reach(String host, int port) {
        return local.reach(host, port);
      }

      @Override
      public boolean isLocal() {
        return true;
      }

      @Override
      public Path home() {
        return local.home();
      }

      @Override
      public void close() {}
    };

    var words = new ClientResults(counted, dir.resolve("metrics")).progress(jobs);

    assertThat(words).containsExactly(java.util.Map.entry("bench_00000001", "14/10 requests, 2.0/s, 0 errors"),
        java.util.Map.entry("with space_00000004", "19/10 requests, 2.0/s, 0 errors"));
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).get(0)).isEqualTo("stat");
  }
}
