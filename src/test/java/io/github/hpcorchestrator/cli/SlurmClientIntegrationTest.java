package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A benchmark client on the SLURM test cluster, started from the laptop namespace against an
 * llm_simulator in the same session: {@code --recipe --wait} brings its results into
 * metrics/<client_id>/ over the one connection, and a client stopped midway keeps a partial summary.
 * Jobs run on their config's pinned node, so a client started with another node's config sends its load
 * across the cluster.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlurmClientIntegrationTest {
  private TestCluster cluster;
  private SlurmCli cli;
  private Path work;
  private Path config;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    cli = new SlurmCli(cluster, cluster.workDir("hpco-slurm-client"));
    work = cli.work();
    config = cli.firstNodeConfig();
  }

  @AfterAll
  void down() {
    SlurmCli.cancelLeftovers(cli);
  }

  private Path recipe(String name, int requests) throws IOException {
    return Files.writeString(work.resolve(name + ".yaml"), """
        services:
          - name: llm_simulator
            simulator: {ttft: 200ms, tpot: 20ms, output_tokens: 16}
        clients:
          - name: %s
            target: {service: llm_simulator}
            workload: {type: openai, model: sim, max_tokens: 16}
            prompts: ["Hello"]
            load: {concurrency: 2, requests: %d, warmup: 2}
        """.formatted(name, requests));
  }

  private static String clientId(JsonNode started, String name) {
    for (JsonNode s : started.path("services")) {
      if (s.path("service_id").asText().startsWith(name + "_")) {
        return s.path("service_id").asText();
      }
    }
    throw new AssertionError("no " + name + " in " + started);
  }

  @Test
  void aClientOnTheClusterBringsItsResultsHome() throws Exception {
    CliResult r = cli.run(config, "--recipe", recipe("chat", 22).toString(), "--wait", "--output", "json");

    assertThat(r.code()).as(r.err()).isZero();
    String id = clientId(r.json(), "chat");
    JsonNode ended = r.json().path("clients").get(0);
    assertThat(ended.path("outcome").asText()).isEqualTo("completed");
    JsonNode stage = ended.path("summary").path("stages").get(0);
    assertThat(stage.path("requests").asInt()).isEqualTo(20);
    // 200 ms and 20 ms as set; +40 ms and +4 ms allow for the shared machine the cluster's nodes run on, and
    // -1 ms for a first chunk that reaches the client later than the rest (TPOT then reads a bit short).
    assertThat(stage.path("ttft").path("p50").asDouble()).isBetween(0.199, 0.240);
    assertThat(stage.path("tpot").path("p50").asDouble()).isBetween(0.019, 0.024);
    assertThat(work.resolve("metrics").resolve(id).resolve("summary.json")).isRegularFile();
    assertThat(work.resolve("metrics").resolve(id).resolve("requests.jsonl")).isRegularFile();
    assertThat(cli.run(config, "--stop-all-services").code()).isZero();
  }

  @Test
  void aClientOnAnotherNodeSendsItsLoadAcrossTheCluster() throws Exception {
    Path sim = Files.writeString(work.resolve("sim.yaml"),
        "service:\n  name: llm_simulator\n  simulator: {ttft: 200ms, tpot: 20ms, output_tokens: 16}\n");
    CliResult started = cli.run(config, "--recipe", sim.toString(), "--output", "json");
    assertThat(started.code()).as(started.err()).isZero();
    String simId = clientId(started.json(), "llm_simulator");
    Path client = Files.writeString(work.resolve("remote_chat.yaml"), """
        client:
          name: remote_chat
          target: {service_id: %s}
          workload: {type: openai, model: sim, max_tokens: 16}
          prompts: ["Hello"]
          load: {concurrency: 2, requests: 12, warmup: 2}
        """.formatted(simId));
    // Same state and remote folders, other node: the client finds the service by its ID.
    Path node2 = cli.config("node2.yaml", cluster.nodes().get(1));

    CliResult r = cli.run(node2, "--recipe", client.toString(), "--wait", "--output", "json");

    assertThat(r.code()).as(r.err()).isZero();
    String id = clientId(r.json(), "remote_chat");
    assertThat(r.json().path("clients").get(0).path("summary").path("stages").get(0).path("requests").asInt())
        .isEqualTo(10);
    assertThat(work.resolve("metrics").resolve(id).resolve("summary.json")).isRegularFile();
    String simNode = null;
    String clientNode = null;
    for (JsonNode s : cli.run(node2, "--status", "--output", "json").json().path("services")) {
      if (s.path("service_id").asText().equals(simId)) {
        simNode = s.path("node").asText();
      } else if (s.path("service_id").asText().equals(id)) {
        clientNode = s.path("node").asText();
      }
    }
    assertThat(simNode).isEqualTo(cluster.nodes().get(0));
    assertThat(clientNode).isEqualTo(cluster.nodes().get(1));
    assertThat(cli.run(config, "--stop-all-services").code()).isZero();
  }

  @Test
  void aClientStoppedMidwayKeepsAPartialResult() throws Exception {
    CliResult started = cli.run(config, "--recipe", recipe("long_chat", 100_000).toString(), "--output", "json");
    assertThat(started.code()).as(started.err()).isZero();
    String id = clientId(started.json(), "long_chat");
    Await.until("progress of " + id + " in --status", Duration.ofMinutes(2), () -> status(id),
        p -> p.matches("[1-9][0-9]*/100000 requests.*"));

    assertThat(cli.run(config, "--stop-service", id).code()).isZero();
    CliResult waited = cli.run(config, "--wait", id, "--output", "json");

    assertThat(waited.code()).as(waited.err()).isEqualTo(1);
    JsonNode ended = waited.json().path("clients").get(0);
    assertThat(ended.path("outcome").asText()).isEqualTo("stopped_partial");
    assertThat(ended.path("summary").path("partial").asBoolean()).isTrue();
    assertThat(work.resolve("metrics").resolve(id).resolve("summary.json")).isRegularFile();
    assertThat(cli.run(config, "--stop-all-services").code()).isZero();
  }

  private String status(String id) {
    try {
      CliResult r = cli.run(config, "--status", "--output", "json");
      return r.code() == 0 ? r.json().path("client_progress").path(id).asText("") : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
