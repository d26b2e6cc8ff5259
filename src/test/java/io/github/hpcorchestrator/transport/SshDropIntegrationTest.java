package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SSH connection to the login node dropped while a command runs: a command that is safe to
 * repeat runs again on a fresh connection, sbatch is never sent twice.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshDropIntegrationTest {
  private static final Duration T = Duration.ofSeconds(60);
  private TestCluster cluster;
  private Path work;
  private HpcConfig hpc;
  private LocalShell slurmHere;

  @BeforeAll
  void up() throws Exception {
    Assumptions.assumeTrue(TestCluster.possible(), "the SLURM testbed needs root");
    cluster = TestCluster.up();
    work = cluster.workDir("hpco-ssh-drop");
    slurmHere = new LocalShell(cluster.slurmEnvironment());
    hpc = ecdsaLogin();
  }

  @AfterAll
  void down() throws Exception {
    if (cluster != null) {
      try {
        slurmHere.run(List.of("scancel", "--me"), T);
      } finally {
        cluster.close();
      }
    }
  }

  /**
   * MINA SSHD here cannot use the testbed's ed25519 keys (see SshShellIntegrationTest): add an
   * ECDSA host and client key to this cluster's sshd and return a config that uses them.
   */
  private HpcConfig ecdsaLogin() throws Exception {
    Path ssh = cluster.dir().resolve("ssh");
    Path clientKey = ssh.resolve("id_ecdsa_drop");
    Path hostKey = ssh.resolve("host_ecdsa_drop");
    command("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", clientKey.toString());
    command("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", hostKey.toString());
    Files.writeString(ssh.resolve("authorized_keys"), Files.readString(Path.of(clientKey + ".pub")),
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(ssh.resolve("sshd_config"), "HostKey " + hostKey + "\n", java.nio.file.StandardOpenOption.APPEND);
    command("kill", "-HUP", Files.readString(cluster.dir().resolve("run/sshd.pid")).trim());
    String[] pub = Files.readString(Path.of(hostKey + ".pub")).trim().split(" ");
    String host = cluster.get("LOGIN_HOST");
    int port = Integer.parseInt(cluster.get("LOGIN_PORT"));
    Path knownHosts = Files.writeString(work.resolve("known_hosts"), "[" + host + "]:" + port + " " + pub[0] + " "
        + pub[1] + "\n");
    Path scan = work.resolve("keyscan.out");
    await("sshd to offer the ECDSA host key", () -> {
      try {
        Process p = new ProcessBuilder("ssh-keyscan", "-t", "ecdsa", "-p", Integer.toString(port), host)
            .redirectOutput(scan.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(10, TimeUnit.SECONDS);
        return Files.readString(scan).contains(pub[1]);
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    return new HpcConfig(host, port, Optional.of(cluster.get("SSH_USER")), Optional.of(clientKey), knownHosts,
        HpcConfig.HostKeyChecking.YES);
  }

  private static void command(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("%s", List.of(argv)).isTrue();
  }

  /** A remote script that blocks (bounded, 30 s) until {@code release} exists. */
  private static String blockUntil(Path release) {
    return "i=0; while [ ! -e '" + release + "' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done";
  }

  @Test
  void idempotentCommandDroppedMidwayRunsAgainOnAFreshConnection() throws Exception {
    Path started = work.resolve("run-started");
    Path release = work.resolve("release-run");
    // The first run blocks after recording that it started; the second (one line already there) does not.
    String script = "echo started >> '" + started + "'; if [ \"$(wc -l < '" + started + "')\" -eq 1 ]; then "
        + blockUntil(release) + "; fi; echo done";
    try (SshShell shell = new SshShell(hpc, work)) {
      assertThat(shell.run(List.of("true"), T).ok()).isTrue();
      CompletableFuture<CommandResult> result = CompletableFuture.supplyAsync(
          () -> shell.run(List.of("sh", "-c", script), T));
      await("the command to start", () -> lines(started) == 1);

      shell.dropSessionForTest();

      CommandResult r = result.get(60, TimeUnit.SECONDS);
      assertThat(r.stdout()).isEqualTo("done\n");
      assertThat(lines(started)).as("runs of the command").isEqualTo(2);
      assertThat(shell.sessionsOpenedForTest()).isEqualTo(2);
    } finally {
      Files.writeString(release, "");
    }
  }

  @Test
  void sbatchDroppedMidwayFailsClearlyAndIsNotSubmittedTwice() throws Exception {
    // sbatch that submits, then blocks: the connection drops after the job exists, before sbatch answers.
    Path wrapper = Path.of(cluster.get("BIN_DIR"), "sbatch");
    Path release = work.resolve("release-sbatch");
    String original = Files.readString(wrapper);
    Files.writeString(wrapper, original.replace("exec ", "") + blockUntil(release) + "\n");
    try (SshShell shell = new SshShell(hpc, work)) {
      SlurmScheduler slurm = new SlurmScheduler(shell, work.resolve("remote").toString(), SlurmDefaults.none(),
          Clock.systemDefaultZone());
      JobSpec spec = new JobSpec("dropped_0badcafe", List.of("sleep", "300"), Map.of(), 0, ResourceSpec.none(),
          Optional.empty(), Map.of());
      int before = cluster.calls().size();
      CompletableFuture<Object> submit = CompletableFuture.supplyAsync(() -> slurm.submit(spec));
      await("the job in squeue", () -> !jobsNamed("dropped_0badcafe").isEmpty());

      shell.dropSessionForTest();

      assertThatThrownBy(() -> submit.get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(OperationFailedException.class)
          .hasMessageContaining("was lost while running sbatch; it may or may not have finished");
      List<String> during = cluster.calls().subList(before, cluster.calls().size());
      assertThat(during.stream().filter(l -> l.startsWith("sbatch ")).count()).as("sbatch calls").isEqualTo(1);
      assertThat(jobsNamed("dropped_0badcafe")).as("jobs of the service").hasSize(1);
    } finally {
      Files.writeString(wrapper, original);
      Files.writeString(release, "");
    }
  }

  private List<String> jobsNamed(String name) {
    return slurmHere.run(List.of("squeue", "-h", "-n", name, "-o", "%i"), T).stdout().lines()
        .filter(l -> !l.isBlank()).toList();
  }

  private static long lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(30), condition);
  }
}
