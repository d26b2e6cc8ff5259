package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.LaunchRecord;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessOutput;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cold call started as ./orchestrator starts it (the launcher beside the JVM) logs in itself and,
 * once answered, gives the launcher its exit code and stays on as the connection holder: its output
 * ends for a reader of the pipe as the call ends, the next call goes to it with no new login, and
 * --disconnect ends that JVM.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StayingHolderIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private TestCluster cluster;
  private SlurmCli cli;
  private Path config;
  private Path folder;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    Path work = cluster.workDir("hpco-staying");
    cli = new SlurmCli(cluster, work);
    config = cli.config("node1.yaml", cluster.nodes().get(0));
    folder = work.resolve("state/connection");
    // The first call of a config records how its holder starts (a holder JVM of its own, this time).
    CliResult first = cli.runFront(config, "--status");
    assertThat(first.code()).as(first.err()).isZero();
  }

  @AfterEach
  void disconnect() throws Exception {
    cli.run(config, "--disconnect");
    Await.until("the holder's socket is gone", DEADLINE, () -> !Files.exists(folder.resolve("holder.sock")));
  }

  @AfterAll
  void down() throws Exception {
    if (cli != null) {
      cli.run(config, "--disconnect");
    }
  }

  /** The pid the holder folder records, if any. */
  private long recordedHolder() throws IOException {
    Path record = folder.resolve("holder.pid");
    return Files.exists(record) ? Long.parseLong(Files.readString(record).trim().split(" ")[0]) : -1;
  }

  /** Whether process {@code pid} has ended: no such process, or one its parent has yet to reap. */
  private static boolean ended(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aColdCallLogsInItselfGivesBackItsExitCodeAndStaysOnAsTheHolder() throws Exception {
    int logLines = Files.readAllLines(folder.resolve("holder.log")).size();
    long before = cluster.acceptedLogins();

    // Its stdout a pipe read to the end, as $(...) reads it: the end comes with the call's, not the JVM's.
    Process call = cli.launched(config, "--status", "--output", "json")
        .redirectError(cli.work().resolve("staying-err.txt").toFile()).start();
    String out = ProcessOutput.readToEnd(call, DEADLINE);
    assertThat(call.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    String err = Files.readString(cli.work().resolve("staying-err.txt"));
    assertThat(call.exitValue()).as(err).isZero();
    assertThat(out).contains("\"services\"");
    long holder = recordedHolder();
    assertThat(holder).isPositive();
    assertThat(ended(holder)).as("the call's JVM goes on").isFalse();
    List<String> lines = Files.readAllLines(folder.resolve("holder.log"));
    assertThat(lines.subList(logLines, lines.size())).filteredOn(l -> l.contains(" listening on ")).singleElement()
        .asString().contains("holder " + holder + " ").contains("stays on as the holder");
    assertThat(cluster.acceptedLogins() - before).isEqualTo(1);

    CliResult next = cli.runFront(config, "--status");
    assertThat(next.code()).as(next.err()).isZero();
    assertThat(next.err()).contains("held SSH connection: in use for").contains("holder pid " + holder);
    assertThat(cluster.acceptedLogins() - before).as("no login but the first").isEqualTo(1);

    CliResult disconnect = cli.run(config, "--disconnect");
    assertThat(disconnect.code()).as(disconnect.err()).isZero();
    assertThat(ended(holder)).as("--disconnect returns once the holder's JVM is gone").isTrue();
  }

  /** Any call that reaches the cluster records how its holder starts, not only one the door could serve. */
  @Test
  void aCallTheDoorDoesNotServeRecordsTheLaunchToo() throws Exception {
    Path record = LaunchRecord.file(Doors.dir(System.getenv(), System.getProperty("user.home")),
        config.toAbsolutePath().normalize());
    Files.deleteIfExists(record);

    CliResult list = cli.run(config, "--list-services");

    assertThat(list.code()).as(list.err()).isZero();
    assertThat(record).exists();
  }

  @Test
  void aColdCallThatFailsExitsWithItsOwnCode() throws Exception {
    CliResult plain = cli.runFront(config, "--service-endpoint", "nosuch00");
    cli.run(config, "--disconnect");
    Await.until("the holder's socket is gone", DEADLINE, () -> !Files.exists(folder.resolve("holder.sock")));
    Path out = cli.work().resolve("failing-out.txt");
    Path err = cli.work().resolve("failing-err.txt");

    Process call = cli.launched(config, "--service-endpoint", "nosuch00")
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

    assertThat(call.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(plain.code()).isNotZero();
    assertThat(call.exitValue()).as(Files.readString(err)).isEqualTo(plain.code());
    assertThat(Files.readString(err)).contains("nosuch00");
  }
}
