package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped llm_simulator recipe on the SLURM test cluster, started from the laptop namespace:
 * the sidecar-style Java runs on the node, is RUNNING once /api/tags answered through the SSH
 * connection, and streams from the node's address at its recipe's settings.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlurmLlmSimulatorIntegrationTest {
  private TestCluster cluster;
  private SlurmCli cli;
  private Path config;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    cli = new SlurmCli(cluster, cluster.workDir("hpco-slurm-simulator"));
    config = cli.firstNodeConfig();
  }

  @AfterAll
  void down() {
    SlurmCli.cancelLeftovers(cli);
  }

  @Test
  void theSimulatorRunsOnANodeAndStreamsAtItsSettings() throws Exception {
    CliResult started = cli.run(config, "--recipe",
        SlurmCli.REPO.resolve("recipes/services/llm_simulator.yaml").toString(), "--output", "json");
    assertThat(started.code()).as(started.err()).isZero();
    String id = started.json().at("/services/0/service_id").asText();
    CliResult endpoint = cli.run(config, "--service-endpoint", id, "--output", "json");
    assertThat(endpoint.code()).as(endpoint.err()).isZero();
    JsonNode where = endpoint.json();
    assertThat(where.path("host").asText()).isEqualTo(cluster.nodes().get(0));

    HttpResponse<String> chat = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://" + where.path("host").asText() + ":" + where.path("port").asInt() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).contains("\"completion_tokens\":64").endsWith("data: [DONE]\n\n");

    CliResult stop = cli.run(config, "--stop-service", id);
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(cli.squeueIds()).isEmpty();
  }
}
