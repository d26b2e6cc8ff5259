package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
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
 * The cluster's side is this machine through a local shell: the probe, uploads and unpacking run
 * the same commands a login node runs; the setup lines narrow its PATH as a user's would.
 */
class ClusterRuntimeTest {
  @TempDir Path dir;
  private final Shell shell = new LocalShell();
  private final List<String> lines = new ArrayList<>();

  /** A runtime whose cluster PATH is only {@code clusterPath} and whose local PATH is {@code localPath}. */
  private ClusterRuntime runtime(String clusterPath, String localPath, Map<String, String> configured, Path javaHome) {
    return new ClusterRuntime(shell, dir.resolve("remote")::toString, configured,
        List.of("echo 'module: loading'", "export PATH=" + clusterPath),
        new ToolLocator(shell, localPath, false, lines::add), new JlinkRuntime(dir.resolve("cache"), javaHome, lines::add),
        lines::add);
  }

  private Path executable(Path folder, String name, String content) throws IOException {
    Files.createDirectories(folder);
    Path p = Files.writeString(folder.resolve(name), content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /** A real ELF program of this machine under a tool's name. */
  private Path localElf(String name) throws IOException {
    return localElf(name, Path.of("/usr/bin/true"));
  }

  private Path localElf(String name, Path program) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("local-bin"));
    Path p = folder.resolve(name);
    Files.copy(program, p);
    return p;
  }

  @Test
  void aToolOnTheClustersPathAfterTheSetupLinesIsUsedWhereItIs() throws IOException {
    Path clusterBin = dir.resolve("cluster-bin");
    Path prom = executable(clusterBin, "prometheus", "#!/bin/sh\n");
    Path ne = executable(clusterBin, "prometheus-node-exporter", "#!/bin/sh\n");
    ClusterRuntime r = runtime(clusterBin.toString(), "/nonexistent", Map.of(), dir);
    assertThat(r.executable("prometheus")).isEqualTo(prom.toString());
    assertThat(r.executable("node_exporter")).isEqualTo(ne.toString());
    r.prepare();
    assertThat(dir.resolve("remote/runtime")).doesNotExist();
  }

  @Test
  void aConfiguredPathWinsAndIsNotLookedAt() {
    ClusterRuntime r = runtime("/nonexistent", "/nonexistent",
        Map.of("prometheus", "/opt/p/prometheus", "java", "/opt/jdk/bin/java"), dir);
    assertThat(r.executable("prometheus")).isEqualTo("/opt/p/prometheus");
    assertThat(r.java()).isEqualTo("/opt/jdk/bin/java");
  }

  @Test
  void aToolOnlyThisMachineHasIsUploadedOnceUnderItsContentHash() throws IOException {
    localElf("prometheus");
    String localPath = dir.resolve("local-bin").toString();
    ClusterRuntime first = runtime("/nonexistent", localPath, Map.of(), dir);
    String path = first.executable("prometheus");
    assertThat(path).matches(dir.resolve("remote/runtime") + "/prometheus-[0-9a-f]{16}");
    assertThat(Path.of(path)).as("planning uploads nothing").doesNotExist();
    first.prepare();
    assertThat(Files.readAllBytes(Path.of(path))).isEqualTo(Files.readAllBytes(Path.of("/usr/bin/true")));
    assertThat(Files.isExecutable(Path.of(path))).isTrue();
    assertThat(lines).anyMatch(l -> l.startsWith("uploading prometheus (") && l.endsWith(" to " + path));
    lines.clear();
    ClusterRuntime second = runtime("/nonexistent", localPath, Map.of(), dir);
    assertThat(second.executable("prometheus")).isEqualTo(path);
    second.prepare();
    assertThat(lines).as("the next job reuses the upload").isEmpty();
  }

  /** GNU false fails even for --version: it stands for a build whose C library the login node lacks. */
  @Test
  void anUploadThatDoesNotRunOnTheLoginNodeFailsTheStartInOneLine() throws IOException {
    localElf("node_exporter", Path.of("/usr/bin/false"));
    ClusterRuntime r = runtime("/nonexistent", dir.resolve("local-bin").toString(), Map.of(), dir);
    String path = r.executable("node_exporter");
    assertThatThrownBy(r::prepare).isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("node_exporter uploaded to " + path + " does not run on the login node (")
        .hasMessageEndingWith("load a build for the cluster in slurm.setup, or set slurm.tools.node_exporter to one")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aLocalCopyThatIsNotAProgramForTheLoginNodeIsRefused() throws IOException {
    executable(dir.resolve("local-bin"), "prometheus", "#!/bin/sh\nexec /opt/prometheus \"$@\"\n");
    ClusterRuntime r = runtime("/nonexistent", dir.resolve("local-bin").toString(), Map.of(), dir);
    assertThatThrownBy(() -> r.executable("prometheus")).isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("cannot upload prometheus for the cluster: ")
        .hasMessageContaining("is not a Linux (ELF) program; set slurm.tools.prometheus to a ");
  }

  @Test
  void aToolNobodyHasSaysWhatToDo() {
    ClusterRuntime r = runtime("/nonexistent", "/nonexistent", Map.of(), dir);
    assertThatThrownBy(() -> r.executable("node_exporter")).isInstanceOf(OperationFailedException.class)
        .hasMessage("node_exporter is not on the cluster's PATH (login node, after slurm.setup) nor on this"
            + " machine's to upload: install it here (apt-get install prometheus-node-exporter), load it in"
            + " slurm.setup, or set slurm.tools.node_exporter to its path on the cluster");
  }

  @Test
  void aClusterJava17IsUsedAndAJava8IsNot() throws IOException {
    Path bin = dir.resolve("jdk-bin");
    Path java = executable(bin, "java", "#!/bin/sh\necho 'openjdk version \"21.0.2\" 2024-01-16' >&2\n");
    assertThat(runtime(bin.toString(), "/nonexistent", Map.of(), dir).java()).isEqualTo(java.toString());
    executable(bin, "java", "#!/bin/sh\necho 'java version \"1.8.0_351\"' >&2\n");
    // A JDK folder without jlink: the one line says what to install or set.
    assertThatThrownBy(() -> runtime(bin.toString(), "/nonexistent", Map.of(), dir.resolve("no-jdk")).java())
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("has no jlink to make one")
        .hasMessageContaining("or set slurm.tools.java");
  }

  /** As in a job, where `source .../activate` would pass the probe's arguments on to conda activate. */
  @Test
  void setupLinesRunWithoutPositionalParametersAndTheNamesAreStillLookedUp() {
    CommandResult r = shell.run(ClusterRuntime.probeArgv(List.of("echo \"setup-args=$#:$*\""),
        List.of("sh", "hpco-no-such-tool")), Shell.SHORT_TIMEOUT);
    assertThat(r.stdout()).as(r.stderr()).contains("setup-args=0:\n");
    assertThat(ClusterRuntime.parseProbe(r.stdout()).paths()).containsOnlyKeys("sh");
  }

  @Test
  void probeLinesAreReadAndSetupNoiseIsIgnored() {
    ClusterRuntime.LoginNode n = ClusterRuntime.parseProbe(String.join("\n", "Loading module Java/17",
        "hpco-runtime:arch=aarch64", "hpco-runtime:path:java=/apps/java/bin/java",
        "hpco-runtime:java=openjdk version \"17.0.9\" 2023-10-17", ""));
    assertThat(n).isEqualTo(new ClusterRuntime.LoginNode("aarch64", Map.of("java", "/apps/java/bin/java"),
        Optional.of("openjdk version \"17.0.9\" 2023-10-17")));
    assertThat(ClusterRuntime.javaMajor("java version \"1.8.0_351\"")).contains(8);
    assertThat(ClusterRuntime.javaMajor("openjdk version \"21\" 2023-09-19")).contains(21);
    assertThat(ClusterRuntime.javaMajor("bash: java: command not found")).isEmpty();
  }

  @Test
  void aJreArchiveIsUnpackedIntoPlaceAtomicallyAndOnce() throws IOException {
    Path image = Files.createDirectories(dir.resolve("image/bin"));
    executable(image, "java", "#!/bin/sh\n");
    Path tar = dir.resolve("jre.tar.gz");
    assertThat(shell.run(List.of("tar", "-czf", tar.toString(), "-C", dir.resolve("image").toString(), "."),
        Shell.SHORT_TIMEOUT).ok()).isTrue();
    String target = dir.resolve("runtime/jre-abc").toString();
    for (int i = 0; i < 2; i++) {
      Path copy = Files.copy(tar, dir.resolve("runtime-upload.tar.gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.createDirectories(dir.resolve("runtime"));
      assertThat(shell.run(ClusterRuntime.unpackArgv(copy.toString(), target), Shell.SHORT_TIMEOUT).ok()).isTrue();
      assertThat(copy).doesNotExist();
    }
    assertThat(Path.of(target, "bin/java")).isExecutable();
    try (var left = Files.list(dir.resolve("runtime"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("jre-abc");
    }
  }
}
