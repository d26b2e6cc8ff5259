package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.Needs;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TempFolder;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.LocalShell;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs jobs on the run's shared 3-node SLURM test cluster (needs root). */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlurmSchedulerIntegrationTest {
  private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private Path remoteDir;
  private List<String> nodes;
  private LocalShell shell;
  private SlurmScheduler slurm;
  private final List<SubmittedJob> submitted = new ArrayList<>();

  @BeforeAll
  void up(TestCluster cluster) throws Exception {
    Needs.that(Files.isExecutable(NODE_EXPORTER), "no node exporter at " + NODE_EXPORTER);
    remoteDir = cluster.workDir("slurm-it-remote");
    nodes = cluster.nodes();
    shell = new LocalShell(cluster.slurmEnvironment());
    slurm = new SlurmScheduler(shell, remoteDir.toString(), SlurmDefaults.none(), Clock.systemUTC());
  }

  @AfterAll
  void down() throws Exception {
    if (slurm != null) {
      for (SubmittedJob job : submitted) {
        try {
          slurm.cancel(job);
        } catch (RuntimeException e) {
          System.err.println("cleanup: " + e.getMessage());
        }
      }
    }
    TempFolder.deleteQuietly(remoteDir);
  }

  private SubmittedJob submit(String serviceId, List<String> argv, int port) {
    SubmittedJob job = slurm.submit(new JobSpec(serviceId, argv, Map.of(), port, ResourceSpec.none(),
        Optional.empty(), Map.of()));
    submitted.add(job);
    return job;
  }

  private JobStatus await(SubmittedJob job, JobState wanted) throws InterruptedException {
    return Await.until(job + " to be " + wanted, DEADLINE, () -> slurm.poll(List.of(job)).get(job.serviceId()),
        s -> s.state() == wanted);
  }

  @Test
  void runsAServiceOnANodeAndStopsIt() throws Exception {
    SubmittedJob job = submit("nodeexp_0123abcd",
        List.of(NODE_EXPORTER.toString(), "--web.listen-address={listen_address}:{port}"), 9100);
    JobStatus running = await(job, JobState.RUNNING);
    assertThat(running.nodes()).hasSize(1);
    assertThat(nodes).contains(running.nodes().get(0));

    Connection connection = Await.value("connection file", DEADLINE, () -> slurm.connection(job));
    assertThat(connection.host()).isEqualTo(running.nodes().get(0));
    assertThat(connection.jobId()).isEqualTo(job.jobId());
    assertThat(connection.port()).isEqualTo(9100);

    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + connection.host() + ":" + connection.port() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("node_exporter_build_info");

    assertThat(slurm.discover()).contains(job);

    slurm.cancel(job);
    Thread.sleep(1100); // past the squeue cache
    JobStatus cancelled = slurm.poll(List.of(job)).get(job.serviceId());
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(slurm.discover()).doesNotContain(job);
    // Default squeue (no --states=all) no longer lists it.
    assertThat(shell.run(List.of("squeue", "--me", "-h", "-o", "%i"), Duration.ofSeconds(30)).stdout()
        .lines().map(String::strip)).doesNotContain(job.jobId());
  }

  @Test
  void aSecondServiceOnTheSameNodeGetsAnotherPort() throws Exception {
    // Extra directives from the config pass through to sbatch: pin both jobs to one node.
    SlurmScheduler pinned = new SlurmScheduler(shell, remoteDir.toString(), new SlurmDefaults(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of("--nodelist=" + nodes.get(2))), Clock.systemUTC());
    List<String> argv = List.of(NODE_EXPORTER.toString(), "--web.listen-address={listen_address}:{port}");
    SubmittedJob first = pinned.submit(new JobSpec("pin1_0123abcd", argv, Map.of(), 9200,
        ResourceSpec.none(), Optional.empty(), Map.of()));
    submitted.add(first);
    Connection one = Await.value("first connection", DEADLINE, () -> pinned.connection(first));
    SubmittedJob second = pinned.submit(new JobSpec("pin2_0123abcd", argv, Map.of(), 9200,
        ResourceSpec.none(), Optional.empty(), Map.of()));
    submitted.add(second);
    Connection two = Await.value("second connection", DEADLINE, () -> pinned.connection(second));
    assertThat(one.host()).isEqualTo(nodes.get(2)).isEqualTo(two.host());
    assertThat(one.port()).isEqualTo(9200);
    assertThat(two.port()).isNotEqualTo(9200).isBetween(20000, 60000);
    pinned.cancel(first);
    pinned.cancel(second);
  }

  @Test
  void aFailingJobReportsItsExitCodeAndLog() throws Exception {
    SubmittedJob job = submit("boom_0123abcd", List.of("bash", "-c", "echo boom; exit 3"), 0);
    JobStatus failed = await(job, JobState.FAILED);
    assertThat(failed.exitCode()).contains(3);
    assertThat(failed.reason()).isEqualTo("exited with code 3");
    assertThat(failed.logTail()).contains("boom");
    assertThat(Files.readString(Path.of(job.serviceDir(), "exit_code")).strip()).isEqualTo("3");
  }

  @Test
  void tokensInArgvEnvironmentAndFilesAreReplacedOnTheNode() throws Exception {
    String tricky = "a & b \\ $HOME 'q' {port}";
    SubmittedJob job = slurm.submit(new JobSpec("tokens_0123abcd",
        List.of("bash", "-c", "printf '%s|%s|%s\\n' \"$1\" \"$T\" \"$(cat in.txt)\" > out.txt", "_", tricky),
        Map.of("T", "{service_dir}:{listen_address}"), 18123, ResourceSpec.none(), Optional.empty(),
        Map.of("in.txt", "p={port} d={service_dir}\n\n")));
    submitted.add(job);
    await(job, JobState.COMPLETED);
    String out = Files.readString(Path.of(job.serviceDir(), "out.txt"));
    String[] parts = out.strip().split("\\|");
    assertThat(parts[0]).startsWith("a & b \\ $HOME 'q' ").doesNotContain("{port}");
    String port = parts[0].substring("a & b \\ $HOME 'q' ".length());
    assertThat(port).matches("\\d+");
    assertThat(parts[1]).isEqualTo(job.serviceDir() + ":0.0.0.0");
    assertThat(parts[2]).isEqualTo("p=" + port + " d=" + job.serviceDir());
    // Trailing newlines of the file survive the substitution.
    assertThat(Files.readString(Path.of(job.serviceDir(), "in.txt"))).endsWith("\n\n");
  }
}
