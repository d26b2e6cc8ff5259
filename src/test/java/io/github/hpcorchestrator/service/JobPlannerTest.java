package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.ContainerRuntime;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a recipe's container is used: the runtime is looked for through a real shell (this
 * machine has no Apptainer; a stand-in script on a PATH set by a setup line plays one).
 */
class JobPlannerTest {
  private static final ContainerSpec CONTAINER =
      new ContainerSpec(Optional.of("docker://prom/node-exporter:v1"), Optional.empty(), List.of("--cleanenv"));

  @TempDir Path dir;
  private final List<String> progress = new ArrayList<>();
  // No runtime on this PATH: bash finds only the system's tools.
  private final LocalShell shell = new LocalShell(Map.of("PATH", "/usr/bin:/bin"));

  private JobPlanner planner() {
    return new JobPlanner(new ContainerRuntime(shell, "this machine", "install Apptainer", dir::toString, List.of(),
        progress::add), progress::add);
  }

  private static ServiceSpec spec(String name, Optional<String> command, List<String> setup) {
    return new ServiceSpec(name, "", command, List.of(), Optional.of(CONTAINER), ResourceSpec.none(), Map.of(),
        List.of(), Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of(), setup);
  }

  /** A stand-in {@code name} in a folder of its own; a setup line puts it on PATH. */
  private String standIn(String name) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin-" + name));
    Path script = Files.writeString(bin.resolve(name), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return "export PATH=" + bin + ":$PATH";
  }

  @Test
  void aKindWithANativeWayRunsWithoutItsContainerAndSaysSoOnce() {
    JobPlanner planner = planner();
    ServiceSpec exporter = spec("node_exporter", Optional.empty(), List.of());
    JobSpec job = planner.plan(new NodeExporterKind(), exporter, "node_exporter_0123abcd", context(), true);
    planner.plan(new NodeExporterKind(), exporter, "node_exporter_4567cdef", context(), true);

    assertThat(job.container()).isEmpty();
    assertThat(job.argv().get(0)).isEqualTo("/found/node_exporter");
    assertThat(progress).containsExactly("node_exporter: no apptainer or singularity on this machine (after the"
        + " setup lines): running node_exporter natively, without its container");
  }

  @Test
  void anyOtherKindFailsBeforeAnythingStartsAndADryRunOnlySaysSo() {
    ServiceSpec web = spec("web", Optional.of("/usr/bin/python3"), List.of());
    assertThatThrownBy(() -> planner().plan(new GenericKind(), web, "web_0123abcd", context(), true))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("service 'web' runs in a container, but neither apptainer nor singularity is on this machine"
            + " after the setup lines: install Apptainer");

    JobSpec dry = planner().plan(new GenericKind(), web, "web_0123abcd", context(), false);
    assertThat(dry.container()).isPresent();
    assertThat(progress).singleElement().asString().startsWith("dry run: service 'web' runs in a container");
  }

  @Test
  void aRuntimeThatTheSetupLinesBringIsUsedWithTheImagesOwnProgram() throws IOException {
    ServiceSpec exporter = spec("node_exporter", Optional.empty(), List.of(standIn("apptainer")));
    JobSpec job = planner().plan(new NodeExporterKind(), exporter, "node_exporter_0123abcd", context(), true);

    assertThat(job.containerRuntime()).isEqualTo("apptainer");
    assertThat(job.argv().get(0)).isEqualTo("node_exporter");
    assertThat(job.container().orElseThrow().imagePath()).contains(dir + "/images/prom_node-exporter_v1.sif");
    assertThat(job.container().orElseThrow().options()).containsExactly("--cleanenv");
    assertThat(job.setup()).isEqualTo(exporter.setup());
    assertThat(progress).isEmpty();
  }

  @Test
  void singularityServesWhenApptainerIsNotThere() throws IOException {
    ServiceSpec web = spec("web", Optional.of("python3"), List.of(standIn("singularity")));
    JobSpec job = planner().plan(new GenericKind(), web, "web_0123abcd", context(), true);
    assertThat(job.containerRuntime()).isEqualTo("singularity");
  }

  /** Tools found in /found, nothing running, sidecars run as {@code java MAIN}. */
  private static LaunchContext context() {
    return new FakeLaunchContext().tools("/found").dataDir("/nowhere/data").running().java("java");
  }
}
