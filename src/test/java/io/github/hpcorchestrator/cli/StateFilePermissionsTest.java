package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.LocalScheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the tool writes under state_dir is the user's alone: the folder is 0700, and no file
 * or folder below it has a group or other permission bit. Real local runs of short commands.
 */
class StateFilePermissionsTest {
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void newStateFolderIs0700AndDatabaseIs0600() throws IOException {
    Path state = dir.resolve("state");
    try (StateStore store = StateStore.open(state)) {
      store.newSession("x.yaml", java.time.Instant.now());
    }

    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(state.resolve("state.db"))).isEqualTo("rw-------");
    assertNothingForGroupOrOthers(state);
  }

  @Test
  void existingOpenStateFolderIsTightenedTo0700() throws IOException {
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));

    try (StateStore store = StateStore.open(state)) {
      store.services();
    }

    assertThat(mode(state)).isEqualTo("rwx------");
  }

  @Test
  void everyFileOfALocalServiceRunIsPrivate() throws Exception {
    Path state = dir.resolve("state");
    Path config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + state + "\nrecipes_dir: " + dir + "\n");
    Path recipe = Files.writeString(dir.resolve("echo.yaml"), """
        service:
          name: echo
          command: /bin/echo
          args: ["hello"]
        """);

    CliResult started = LocalCli.call(config, "--recipe", recipe.toString(), "--no-wait");
    assertThat(started.code()).as(started.err()).isZero();
    Path serviceDir;
    try (Stream<Path> dirs = Files.list(state.resolve("services"))) {
      // The folder also holds the port picker's lock file, so pick the service's own folder by its ID.
      serviceDir = dirs.filter(p -> p.getFileName().toString().startsWith("echo_")).findFirst().orElseThrow();
    }
    Path exitCode = serviceDir.resolve("exit_code");
    Await.until(exitCode.toString(), DEADLINE, () -> Files.exists(exitCode));
    try (StateStore store = StateStore.open(state)) {
      store.services();
    }

    assertThat(serviceDir.resolve("service.log")).content().contains("hello");
    assertThat(serviceDir).isDirectoryContaining(p -> p.endsWith("job.sh"))
        .isDirectoryContaining(p -> p.endsWith("connection")).isDirectoryContaining(p -> p.endsWith("job.pid"));
    assertThat(mode(state)).isEqualTo("rwx------");
    assertNothingForGroupOrOthers(state);
  }

  @Test
  void filesAServiceKindWritesArePrivate() throws Exception {
    // The way PrometheusKind hands its prometheus.yml to the scheduler.
    Path services = dir.resolve("state/services");
    LocalScheduler scheduler = new LocalScheduler(services, new LocalShell(), Duration.ofSeconds(5));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("prometheus.yml", "global:\n  scrape_interval: 15s\n");
    JobSpec spec = new JobSpec("prometheus_0badcafe", List.of("/bin/true"), Map.of(), 0, ResourceSpec.none(),
        Optional.empty(), files);

    SubmittedJob job = scheduler.submit(spec);
    Path exitCode = Path.of(job.serviceDir()).resolve("exit_code");
    Await.until(exitCode.toString(), DEADLINE, () -> Files.exists(exitCode));

    assertThat(scheduler.poll(List.of(job)).get(job.serviceId()).state()).isEqualTo(JobState.COMPLETED);
    assertThat(mode(Path.of(job.serviceDir()).resolve("prometheus.yml"))).isEqualTo("rw-------");
    assertThat(mode(Path.of(job.serviceDir()).resolve("job.sh"))).isEqualTo("rwx------");
    assertNothingForGroupOrOthers(services);
  }

  private static void assertNothingForGroupOrOthers(Path root) throws IOException {
    List<String> open = new java.util.ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted().toList()) {
        Set<PosixFilePermission> bits = EnumSet.copyOf(Files.getPosixFilePermissions(p));
        bits.retainAll(GROUP_OR_OTHER);
        if (!bits.isEmpty()) {
          open.add(mode(p) + " " + root.relativize(p));
        }
      }
    }
    assertThat(open).as("paths under %s with group or other permissions", root).isEmpty();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
