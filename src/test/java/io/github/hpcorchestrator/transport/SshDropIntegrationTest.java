package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.EcdsaLogin;
import io.github.hpcorchestrator.testbed.TestCluster;
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
    // Its own cluster: it stops the controller, takes a node down or drops the login node's connections.
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

  /** MINA SSHD here cannot use the testbed's ed25519 keys: a config with ECDSA ones ({@link EcdsaLogin}). */
  private HpcConfig ecdsaLogin() throws Exception {
    EcdsaLogin login = EcdsaLogin.add(cluster, work, "drop");
    return new HpcConfig(cluster.get("LOGIN_HOST"), Integer.parseInt(cluster.get("LOGIN_PORT")),
        Optional.of(cluster.get("SSH_USER")), Optional.of(login.clientKey()), login.knownHosts(),
        HpcConfig.HostKeyChecking.YES);
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
