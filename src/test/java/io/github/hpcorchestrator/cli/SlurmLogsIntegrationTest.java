package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * --logs --follow on the SLURM backend of a real test cluster, run from the laptop namespace:
 * the output is read from slurm-JOBID.out on the shared remote_dir through the one SSH connection.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlurmLogsIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private TestCluster cluster;
  private Path work;
  private SlurmCli cli;
  private Path config;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    cli = new SlurmCli(cluster, cluster.workDir("hpco-slurm-logs"));
    work = cli.work();
    config = cli.firstNodeConfig();
  }

  @AfterAll
  void down() {
    SlurmCli.cancelLeftovers(cli);
  }

  @Test
  void followStreamsASlurmServicesOutputAsItWritesItAndStopsWhenTheJobEnds() throws Exception {
    // The node sees the same files: the service waits for this flag before its second line.
    Path flag = work.resolve("go");
    Path recipe = Files.writeString(work.resolve("talker.yaml"), """
        service:
          name: talker
          command: bash
          args: ["-c", "echo first; for i in $(seq 1200); do [ -e \\"$0\\" ] && break; sleep 0.1; done; echo second", "%s"]
        """.formatted(flag));
    CliResult start = cli.run(config, "--recipe", recipe.toString(), "--no-wait", "--output", "json");
    assertThat(start.code()).as(start.err()).isZero();
    String id = start.json().at("/services/0/service_id").asText();
    Path out = work.resolve("follow.out");
    Path err = work.resolve("follow.err");

    Process follow = cli.start(config, out, err, "--logs", id, "--follow");
    try {
      Await.value("'first' in the followed log", DEADLINE,
          () -> read(out).contains("first") ? Optional.of(true) : Optional.empty());
      assertThat(read(out)).doesNotContain("second");
      assertThat(follow.isAlive()).as("follow runs while the job does; stderr: %s", read(err)).isTrue();

      Files.createFile(flag);

      assertThat(follow.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("follow ends with the job").isTrue();
      assertThat(follow.exitValue()).as(read(err)).isZero();
      assertThat(read(out)).containsSubsequence("first", "second");
      assertThat(read(err)).contains("slurm-").contains(".out");
    } finally {
      follow.destroyForcibly().waitFor();
    }

    CliResult tail = cli.run(config, "--logs", id, "--tail", "1");
    assertThat(tail.code()).as(tail.err()).isZero();
    assertThat(tail.out()).isEqualTo("second\n");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
