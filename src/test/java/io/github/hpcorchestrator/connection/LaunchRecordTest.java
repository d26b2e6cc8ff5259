package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchRecordTest {
  private static final byte[] CONFIG = "backend: slurm\nhpc:\n  hostname: login1\n".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path tmp;
  private Path doors;
  private Path config;
  private List<String> args;

  @BeforeEach
  void files() throws IOException {
    doors = tmp.resolve("doors");
    config = Files.write(tmp.resolve("config.yaml"), CONFIG);
    Path state = Files.createDirectories(tmp.resolve("state"));
    args = List.of(state.resolve("connection").toString(), "600", "login1", "22", "-", "-", "/h/.ssh/known_hosts", "YES");
  }

  @Test
  void theRecordedArgumentsComeBackForTheSameBytesFolderAndHome() throws IOException {
    assertThat(LaunchRecord.write(doors, config, CONFIG, "/work", "/h", args)).isTrue();

    assertThat(LaunchRecord.read(doors, config, "/work", "/h")).contains(args);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(LaunchRecord.file(doors, config)))).isEqualTo("rw-------");
  }

  @Test
  void aChangedFileAnotherWorkingFolderOrHomeGetsNothing() throws IOException {
    LaunchRecord.write(doors, config, CONFIG, "/work", "/h", args);

    assertThat(LaunchRecord.read(doors, config, "/elsewhere", "/h")).isEmpty();
    assertThat(LaunchRecord.read(doors, config, "/work", "/other-home")).isEmpty();
    Files.writeString(config, "backend: slurm\nhpc:\n  hostname: login2\n");
    assertThat(LaunchRecord.read(doors, config, "/work", "/h")).isEmpty();
    assertThat(LaunchRecord.read(doors, tmp.resolve("another.yaml"), "/work", "/h")).isEmpty();
  }

  @Test
  void aDoorsFolderOthersCanEnterIsNeitherWrittenNorRead() throws IOException {
    LaunchRecord.write(doors, config, CONFIG, "/work", "/h", args);
    Files.setPosixFilePermissions(doors, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(LaunchRecord.read(doors, config, "/work", "/h")).isEmpty();
    assertThat(LaunchRecord.write(doors, config, CONFIG, "/work", "/h", List.of("other"))).isFalse();
  }

  @Test
  void aGarbledOrCutRecordIsAsNone() throws IOException {
    LaunchRecord.write(doors, config, CONFIG, "/work", "/h", args);
    Path record = LaunchRecord.file(doors, config);
    byte[] whole = Files.readAllBytes(record);

    Files.write(record, Arrays.copyOf(whole, whole.length - 3));
    assertThat(LaunchRecord.read(doors, config, "/work", "/h")).isEmpty();
    Files.writeString(record, "not a record");
    assertThat(LaunchRecord.read(doors, config, "/work", "/h")).isEmpty();
    assertThat(LaunchRecord.stale(record)).isFalse();
  }

  @Test
  void makingADoorRemovesTheRecordsOfStateFoldersThatAreGone() throws IOException {
    LaunchRecord.write(doors, config, CONFIG, "/work", "/h", args);
    Path goneState = Files.createDirectories(tmp.resolve("state-gone"));
    Path other = Files.write(tmp.resolve("other.yaml"), CONFIG);
    LaunchRecord.write(doors, other, CONFIG, "/work", "/h", List.of(goneState.resolve("connection").toString()));
    Files.delete(goneState);

    assertThat(Doors.make(doors, tmp.resolve("third.yaml"), tmp.resolve("state/connection/holder.sock"))).isTrue();

    assertThat(LaunchRecord.file(doors, other)).doesNotExist();
    assertThat(LaunchRecord.file(doors, config)).exists();
  }

  @Test
  void noHolderStartsFromARecordWhoseFolderHasOneRunning() throws IOException {
    LaunchRecord.write(doors, config, CONFIG, System.getProperty("user.dir"), System.getProperty("user.home"), args);
    HolderFolder folder = HolderFolder.in(tmp.resolve("state"));
    HolderProcess.current().orElseThrow().write(folder.process()); // this JVM stands for a running holder

    assertThat(LaunchRecord.startIfRecorded(doors, config)).isFalse();
    assertThat(folder.starting()).doesNotExist();
  }
}
