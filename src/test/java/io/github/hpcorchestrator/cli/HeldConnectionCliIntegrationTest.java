package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.HeldShell;
import io.github.hpcorchestrator.connection.LaunchRecord;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The held SSH connection through the CLI from the laptop namespace of a real test cluster: later
 * calls log in no more, --status says it is held, --disconnect ends it; a forward asked from
 * another network namespace than the holder's is made where it can be reached.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeldConnectionCliIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private TestCluster cluster;
  private SlurmCli cli;
  private Path config;
  private Path state;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    Path work = cluster.workDir("hpco-held");
    cli = new SlurmCli(cluster, work);
    config = cli.config("node1.yaml", cluster.nodes().get(0));
    state = work.resolve("state");
  }

  @AfterAll
  void down() throws Exception {
    if (cli != null) {
      // The cluster is the run's: the holder of this class does not outlive the class.
      cli.run(config, "--disconnect");
    }
  }

  @Test
  void laterCallsMakeNoNewLoginAndDisconnectEndsTheHeldConnection() throws Exception {
    long before = cluster.acceptedLogins();

    CliResult first = cli.run(config, "--status");
    long afterFirst = cluster.acceptedLogins();
    CliResult second = cli.run(config, "--status");
    CliResult third = cli.run(config, "--list-running-services");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(third.code()).as(third.err()).isZero();
    assertThat(afterFirst - before).isEqualTo(1);
    assertThat(cluster.acceptedLogins()).isEqualTo(afterFirst);
    assertThat(second.err()).contains("held SSH connection: in use for");

    CliResult disconnect = cli.run(config, "--disconnect");

    assertThat(disconnect.code()).as(disconnect.err()).isZero();
    assertThat(disconnect.err()).contains("ended the held SSH connection");
    Path socket = state.resolve("connection/holder.sock");
    Await.until("the holder's socket is gone", DEADLINE, () -> !Files.exists(socket));
    assertThat(socket).doesNotExist();
    assertThat(cli.run(config, "--disconnect").err()).contains("no held SSH connection was running");
  }

  /**
   * A call records how its holder starts; the next cold call with the same file starts that holder
   * from the record, before it parses the file, and that start is the only one and the only login.
   */
  @Test
  void aColdCallStartsItsHolderFromTheLaunchRecordAndLogsInOnce() throws Exception {
    Path socket = state.resolve("connection/holder.sock");
    Path log = state.resolve("connection/holder.log");
    try {
      CliResult first = cli.runFront(config, "--status");
      assertThat(first.code()).as(first.err()).isZero();
      assertThat(LaunchRecord.file(Doors.dir(System.getenv(), System.getProperty("user.home")),
          config.toAbsolutePath().normalize())).exists();
      assertThat(cli.run(config, "--disconnect").code()).isZero();
      Await.until("the holder's socket is gone", DEADLINE, () -> !Files.exists(socket));
      int logLines = Files.readAllLines(log).size();
      long before = cluster.acceptedLogins();

      CliResult cold = cli.runFront(config, "--status");

      assertThat(cold.code()).as(cold.err()).isZero();
      assertThat(cluster.acceptedLogins() - before).isEqualTo(1);
      List<String> lines = Files.readAllLines(log);
      List<String> since = lines.subList(logLines, lines.size());
      assertThat(since).filteredOn(l -> l.contains(" listening on ")).singleElement().asString()
          .contains("started from its launch record");
      assertThat(since).noneMatch(l -> l.contains("another holder runs"));
    } finally {
      cli.run(config, "--disconnect");
      Await.until("the holder's socket is gone", DEADLINE, () -> !Files.exists(socket));
    }
  }

  /**
   * The holder runs in the laptop namespace, this JVM in the host's: its forwards listen on the
   * laptop's 127.0.0.1, where this JVM cannot connect, so the forward goes through a connection of
   * this JVM's own, while commands still go to the holder.
   */
  @Test
  void aForwardAskedFromAnotherNetworkNamespaceThanTheHoldersIsMadeOnThisJvmsOwnConnection() throws Exception {
    CliResult started = cli.run(config, "--status");
    assertThat(started.code()).as(started.err()).isZero();
    assertThat(state.resolve("connection/holder.sock")).exists();
    OrchestratorConfig c = new ConfigLoader().load(config);
    long before = cluster.acceptedLogins();
    try (Shell shell = HeldShell.forConfig(c.hpc().orElseThrow(), c.stateDir())) {
      assertThat(shell.run(List.of("true"), Shell.SHORT_TIMEOUT).ok()).isTrue();
      assertThat(cluster.acceptedLogins()).as("a command goes to the holder").isEqualTo(before);

      // The login node's own sshd, as the login node reaches it: its banner comes through the forward.
      InetSocketAddress forward = shell.reach("127.0.0.1", Integer.parseInt(cluster.get("LOGIN_PORT")));
      try (Socket through = new Socket()) {
        through.connect(forward, 10_000);
        through.setSoTimeout(10_000);
        assertThat(new String(through.getInputStream().readNBytes(8), StandardCharsets.US_ASCII))
            .isEqualTo("SSH-2.0-");
      }
      assertThat(cluster.acceptedLogins()).as("the forward's own connection").isEqualTo(before + 1);
    } finally {
      CliResult disconnect = cli.run(config, "--disconnect");
      assertThat(disconnect.code()).as(disconnect.err()).isZero();
      Path socket = state.resolve("connection/holder.sock");
      Await.until("the holder's socket is gone", DEADLINE, () -> !Files.exists(socket));
    }
  }
}
