package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Looking for the runtime and building images through a real shell, with
 * testbed/apptainer-stand-in.sh as {@code apptainer} on a PATH a setup line sets (a stand-in for
 * argv and flow only: no Apptainer package exists here).
 */
class ContainerRuntimeTest {
  @TempDir Path dir;
  private final List<String> progress = new ArrayList<>();
  private final LocalShell shell = new LocalShell(Map.of("PATH", "/usr/bin:/bin"));
  private List<String> setup;
  private ContainerRuntime runtime;

  @BeforeEach
  void standIn() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(Path.of("testbed/apptainer-stand-in.sh"), bin.resolve("apptainer"));
    setup = List.of("export PATH=" + bin + ":$PATH");
    runtime = new ContainerRuntime(shell, "the login node", "load it", dir::toString, List.of(), progress::add);
  }

  private ContainerSpec resolved(Optional<String> source, Optional<String> path) {
    ContainerSpec c = new ContainerSpec(source, path);
    return c.withImagePath(runtime.imagePath(c));
  }

  @Test
  void findsTheRuntimeOnlyAfterTheSetupLinesAndAsksOncePerSetOfLines() throws IOException {
    assertThat(runtime.find(List.of())).isEmpty();
    assertThat(runtime.find(setup)).contains("apptainer");
    Files.delete(dir.resolve("bin/apptainer"));
    assertThat(runtime.find(setup)).as("cached for this call").contains("apptainer");
  }

  @Test
  void aMissingImageIsBuiltOnceUnderItsLockAndThenReused() throws IOException {
    ContainerSpec c = resolved(Optional.of("docker://prom/prometheus:v2"), Optional.empty());
    String image = dir.resolve("images/prom_prometheus_v2.sif").toString();
    assertThat(c.imagePath()).contains(image);

    runtime.ensureImage("prometheus_0123abcd", c, "apptainer", setup);
    runtime.ensureImage("prometheus_4567cdef", c, "apptainer", setup);

    assertThat(Files.readString(Path.of(image))).isEqualTo("stand-in image of docker://prom/prometheus:v2\n");
    assertThat(Path.of(image + ".lock")).exists();
    assertThat(Path.of(image + ".part")).doesNotExist();
    assertThat(Files.readAllLines(dir.resolve("bin/calls.log"))).hasSize(1).first().asString()
        .endsWith("\tapptainer\tbuild\t--force\t" + image + ".part\tdocker://prom/prometheus:v2");
    assertThat(progress).hasSize(2);
    assertThat(progress.get(0)).isEqualTo("prometheus_0123abcd: building container image " + image
        + " from docker://prom/prometheus:v2 on the login node with apptainer (once; later jobs reuse it)...");
    assertThat(progress.get(1)).matches("prometheus_0123abcd: image .* ready \\(1 KB\\) after \\d+ s");
  }

  /** As in a job, where `source .../activate` would pass the build's arguments on to conda activate. */
  @Test
  void theBuildsSetupLinesRunWithoutPositionalParameters() throws IOException {
    ContainerSpec c = resolved(Optional.of("docker://prom/prometheus:v2"), Optional.empty());
    Path seen = dir.resolve("setup-args");
    List<String> lines = new ArrayList<>(setup);
    lines.add("echo \"$#:$*\" > " + seen);

    runtime.ensureImage("prometheus_0123abcd", c, "apptainer", lines);

    assertThat(Files.readString(seen)).isEqualTo("0:\n");
    assertThat(Path.of(c.imagePath().orElseThrow())).exists();
  }

  @Test
  void aFailedBuildFailsWithTheRuntimesWordsAndLeavesNoImage() {
    ContainerSpec c = resolved(Optional.of("docker://fail/private:1"), Optional.of("img/private.sif"));
    assertThatThrownBy(() -> runtime.ensureImage("web_0123abcd", c, "apptainer", setup))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("web_0123abcd: building " + dir + "/img/private.sif from docker://fail/private:1 on the login"
            + " node failed (exit code 1): FATAL:   While making image from oci registry: failed to get checksum"
            + " for docker://fail/private:1: unauthorized");
    assertThat(dir.resolve("img/private.sif")).doesNotExist();
    assertThat(dir.resolve("img/private.sif.part")).doesNotExist();
  }

  @Test
  void aMissingImageWithoutDockerSourceFailsAtOnce() {
    ContainerSpec c = resolved(Optional.empty(), Optional.of("/nowhere/x.sif"));
    assertThatThrownBy(() -> runtime.ensureImage("web_0123abcd", c, "apptainer", setup))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("web_0123abcd: container image /nowhere/x.sif is missing on the login node and the"
            + " recipe has no docker_source");
    assertThat(dir.resolve("bin/calls.log")).doesNotExist();
  }
}
