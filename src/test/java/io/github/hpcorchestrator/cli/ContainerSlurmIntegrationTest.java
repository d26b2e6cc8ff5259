package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.net.InetAddress;
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
 * Containers on the real SLURM test cluster, from the laptop namespace. No Apptainer package
 * exists here, so testbed/apptainer-stand-in.sh plays {@code apptainer} on a PATH that slurm.setup
 * sets, for argv and flow only: it records its argv (and its build calls into the cluster's call
 * log, next to sbatch's) and runs the command natively. The nodes have pretend GPUs (gres gpu:2).
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerSlurmIntegrationTest {
  private TestCluster cluster;
  private SlurmCli cli;
  private Path work;
  private Path bin;
  private Path withStandIn;
  private Path plain;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    work = cluster.workDir("hpco-container");
    cli = new SlurmCli(cluster, work);
    bin = Files.createDirectories(work.resolve("bin"));
    Files.copy(SlurmCli.REPO.resolve("testbed/apptainer-stand-in.sh"), bin.resolve("apptainer"));
    plain = cli.config("plain.yaml", cluster.nodes().get(0));
    withStandIn = cli.config("apptainer.yaml", cluster.nodes().get(0));
    // Appended under slurm:, after extra_directives.
    Files.writeString(withStandIn, Files.readString(withStandIn) + String.join("\n",
        "  setup:",
        "    - export PATH=" + bin + ":$PATH",
        "    - export STANDIN_CALL_LOG=" + cluster.get("CALL_LOG"),
        ""));
  }

  @AfterAll
  void down() throws Exception {
    if (cluster == null) {
      return;
    }
    new LocalShell(cluster.slurmEnvironment()).run(List.of("scancel", "--me"), Duration.ofSeconds(30));
  }

  private Path recipe(String name, String... lines) throws IOException {
    return Files.writeString(work.resolve(name), String.join("\n", lines) + "\n");
  }

  /** The stand-in's calls so far, each as host then argv words. */
  private List<List<String>> standInCalls() throws IOException {
    Path log = bin.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log).stream().map(l -> List.of(l.split("\t"))).toList() : List.of();
  }

  @Test
  void gpuJobRunsExecWithNvAndItsOptionsInAnImageBuiltOnTheLoginNodeBeforeSbatch() throws Exception {
    Path recipe = recipe("gpu_worker.yaml",
        "service:",
        "  name: gpu_worker",
        "  command: python3",
        "  args: [\"-m\", \"http.server\", \"{port}\", \"--bind\", \"{listen_address}\"]",
        "  container:",
        "    docker_source: docker://example.org/gpu-worker:1",
        "    options: [\"--cleanenv\", \"--bind={scratch_dir}:/scratch\"]",
        "  resources:",
        "    gres: gpu:1",
        "    mem: 200M",
        "    time: \"00:10:00\"",
        "  ports: [8000]",
        "  health_check:",
        "    endpoint: /");
    String image = work.resolve("remote/images/example.org_gpu-worker_1.sif").toString();

    CliResult first = cli.run(withStandIn, "--recipe", recipe.toString(), "--output", "json");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.json().at("/services/0/state").asText()).isEqualTo("RUNNING");
    assertThat(first.err()).contains("gpu_worker_").contains(": building container image " + image
        + " from docker://example.org/gpu-worker:1 on the login node with apptainer").contains("ready");

    String login = InetAddress.getLocalHost().getHostName();
    List<List<String>> calls = standInCalls();
    List<String> build = calls.stream().filter(c -> c.get(2).equals("build")).findFirst().orElseThrow();
    assertThat(build.get(0)).as("host of the build").isEqualTo(login);
    assertThat(build.subList(1, build.size())).containsExactly("apptainer", "build", "--force", image + ".part",
        "docker://example.org/gpu-worker:1");
    List<String> exec = calls.stream().filter(c -> c.get(2).equals("exec")).findFirst().orElseThrow();
    assertThat(exec.get(0)).as("host of the exec").isEqualTo(cluster.nodes().get(0));
    assertThat(exec.subList(1, 5)).containsExactly("apptainer", "exec", "--nv", "--cleanenv");
    assertThat(exec.get(5)).matches("--bind=/.*/hpc-orchestrator-gpu_worker_[0-9a-f]{8}\\.[^/]+:/scratch");
    assertThat(exec.get(6)).isEqualTo("--bind");
    assertThat(exec).containsSubsequence(image, "python3", "-m", "http.server");
    // The image was built before the job was submitted: its build is logged before the sbatch.
    List<String> slurmCalls = cluster.calls();
    int built = indexOf(slurmCalls, "apptainer build", "");
    assertThat(built).isNotNegative().isLessThan(indexOf(slurmCalls, "sbatch", "/gpu_worker_"));

    CliResult second = cli.run(withStandIn, "--recipe", recipe.toString(), "--output", "json");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err()).doesNotContain("building");
    assertThat(standInCalls().stream().filter(c -> c.get(2).equals("build"))).as("builds").hasSize(1);

    CliResult stop = cli.run(withStandIn, "--stop-all-services");
    assertThat(stop.code()).as(stop.err()).isZero();
  }

  @Test
  void aMissingImageWithoutDockerSourceFailsAtOnceWithItsReason() throws Exception {
    Path missing = work.resolve("images/none.sif");
    Path recipe = recipe("prebuilt.yaml",
        "service:",
        "  name: prebuilt",
        "  command: sleep",
        "  args: [\"300\"]",
        "  container:",
        "    image_path: " + missing,
        "  ports: [8000]");
    long sbatches = cluster.calls().stream().filter(l -> l.startsWith("sbatch")).count();
    long started = System.nanoTime();

    CliResult r = cli.run(withStandIn, "--recipe", recipe.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines().toList()).singleElement().asString().startsWith("error: prebuilt_")
        .contains(": container image " + missing + " is missing on the login node and the recipe has no"
            + " docker_source to build it from");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    assertThat(cluster.calls().stream().filter(l -> l.startsWith("sbatch")).count()).as("sbatch calls")
        .isEqualTo(sbatches);
  }

  @Test
  void shippedPrometheusWithItsContainerRunsNativelyOnAClusterWithoutApptainer() throws Exception {
    CliResult r = cli.run(plain, "--recipe", SlurmCli.REPO.resolve("recipes/services/prometheus.yaml").toString(),
        "--output", "json");
    try {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.json().at("/services/0/state").asText()).isEqualTo("RUNNING");
      assertThat(r.err().lines().filter(l -> l.contains("apptainer")).toList()).containsExactly("prometheus: no"
          + " apptainer or singularity on the login node (after the setup lines): running prometheus natively,"
          + " without its container");
    } finally {
      cli.run(plain, "--stop-all-services");
    }
  }

  /** The first line that starts with {@code prefix} and contains {@code part}, or -1. */
  private static int indexOf(List<String> lines, String prefix, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix) && lines.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }
}
