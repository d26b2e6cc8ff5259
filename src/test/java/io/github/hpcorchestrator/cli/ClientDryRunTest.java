package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session's --dry-run shows its client jobs as the start would submit them, and starts nothing. */
class ClientDryRunTest {
  @TempDir Path dir;
  private LocalCli cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
  }

  @Test
  void theShippedSessionShowsItsClientJobWithItsPlanAndWritesNothing() {
    CliResult r = cli.run("--recipe", "llm_simulator_benchmark", "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("io.github.hpcorchestrator.client.ClientMain --plan client.json --out results",
        "# ---- file client.json (written into the service folder) ----", "\"type\" : \"openai\"",
        "\"concurrency\" : 4");
    // The target is the session's own simulator, not running yet: its node is a placeholder, its port the asked one.
    assertThat(r.out()).containsPattern("\"url\" : \"http://<node of llm_simulator_[0-9a-f]{8}>:11434\"");
    assertThat(dir.resolve("state/state.db")).doesNotExist();
  }

  @Test
  void aClientOfAPrometheusWithAuthGoesOverHttpsAndItsPasswordIsNotShown() throws IOException {
    Path recipe = Files.writeString(dir.resolve("auth-session.yaml"), """
        services:
          - name: prometheus
            auth: true
        clients:
          - name: scrape_api
            target: {service: prometheus}
            workload: {type: http, method: GET, path: "/api/v1/query?query=up"}
            load: {concurrency: 1, requests: 3}
        """);

    CliResult r = cli.run("--recipe", recipe.toString(), "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("\"url\" : \"https://<node of prometheus_[0-9a-f]{8}>:\\d+\"")
        .contains("\"password_file\" : \"target.password\"",
            "# ---- file target.password (written into the service folder) ----\n(secret, not shown)");
    assertThat(dir.resolve("state/state.db")).doesNotExist();
  }

  @Test
  void aClientOfAServiceWithoutPortsFailsAsTheStartWould() throws IOException {
    Path recipe = Files.writeString(dir.resolve("portless-session.yaml"), """
        services:
          - name: worker
            command: sleep
            args: ["30"]
        clients:
          - name: nothing_to_load
            target: {service: worker}
            workload: {type: http, path: /}
            load: {concurrency: 1, requests: 1}
        """);

    CliResult r = cli.run("--recipe", recipe.toString(), "--dry-run");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("has no port (its recipe lists no ports)");
  }
}
