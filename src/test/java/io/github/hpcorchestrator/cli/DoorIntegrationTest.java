package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm path from the laptop namespace of a real test cluster: once a holder runs, the
 * whitelisted read calls started through the jar's front-end run in it (the holder's log counts
 * them, sshd counts no login) with the full path's output and exit codes; other calls and a
 * config that no longer names the holder's state_dir take the full path.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoorIntegrationTest {
  private TestCluster cluster;
  private SlurmCli cli;
  private Path config;
  private Path log;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    Path work = cluster.workDir("hpco-door");
    cli = new SlurmCli(cluster, work);
    config = cli.config("door.yaml", cluster.nodes().get(0));
    log = work.resolve("state/connection/holder.log");
  }

  @AfterAll
  void down() throws Exception {
    if (cli != null) {
      // Both state folders' holders: the cluster is the run's, no holder outlives the class.
      cli.run(original(), "--disconnect");
      cli.run(moved(), "--disconnect");
    }
  }

  /** door.yaml as the holder behind its door knows it. */
  private Path original() throws IOException {
    return cli.config("door.yaml", cluster.nodes().get(0));
  }

  /** door.yaml rewritten to name another state_dir. */
  private Path moved() throws IOException {
    return cli.config("door.yaml", cluster.nodes().get(0), cli.work().resolve("state-moved"),
        cli.work().resolve("remote"));
  }

  private long doorRuns() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("door: ran")).count() : 0;
  }

  @Test
  void warmReadCallsGoThroughTheDoorWithTheFullPathsAnswers() throws Exception {
    original();
    CliResult fullStatus = cli.run(config, "--status", "--output", "json");
    CliResult fullMissing = cli.run(config, "--service-endpoint", "nosuch00");
    CliResult fullQuery = cli.run(config, "--query-service-metrics", "nosuch00", "up", "--output", "json");
    long logins = cluster.acceptedLogins();
    long before = doorRuns();

    CliResult status = cli.runFront(config, "--status", "--output", "json");
    CliResult missing = cli.runFront(config, "--service-endpoint", "nosuch00");
    CliResult query = cli.runFront(config, "--query-service-metrics", "nosuch00", "up", "--output", "json");

    assertThat(doorRuns() - before).isEqualTo(3);
    assertThat(cluster.acceptedLogins()).isEqualTo(logins);
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).isEqualTo(fullStatus.out());
    assertThat(missing.code()).isEqualTo(2).isEqualTo(fullMissing.code());
    assertThat(missing.err()).isEqualTo(fullMissing.err());
    assertThat(query.code()).isEqualTo(fullQuery.code());
    assertThat(query.err()).isEqualTo(fullQuery.err());
    // The call the holder runs is not another call of its own.
    CliResult text = cli.runFront(config, "--status");
    assertThat(text.out() + text.err()).contains("held SSH connection: in use for").doesNotContain("other calls");
  }

  @Test
  void otherCallsAndAMovedStateDirTakeTheFullPath() throws Exception {
    original();
    cli.run(config, "--status");
    long before = doorRuns();

    CliResult list = cli.runFront(config, "--list-running-services");
    CliResult verbose = cli.runFront(config, "--status", "--verbose");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(verbose.code()).as(verbose.err()).isZero();
    assertThat(doorRuns()).isEqualTo(before);

    // The same file now names another state_dir: the holder behind the door is not its holder.
    CliResult status = cli.runFront(moved(), "--status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(doorRuns()).isEqualTo(before);
  }
}
