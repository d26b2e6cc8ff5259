package io.github.hpcorchestrator.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.LaunchRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's rehearsal of a cold call, against the SSH server it runs in this JVM. */
class ColdCallRehearsalTest {
  @Test
  void aRehearsalStaysOnAsTheHolderServesADoorCallThenLogsInAndRunsTheCliAgain(@TempDir Path dir) throws Exception {
    // Each step throws when it fails: the holder in this JVM beginning from the launch record, its
    // login, the call through its door, the second login's remote shell and forward, the CLI warm-up.
    assertThatCode(() -> ColdCallRehearsal.rehearse(dir)).doesNotThrowAnyException();

    assertThat(dir.resolve("known_hosts")).content().startsWith("[127.0.0.1]:").contains(" ssh-ed25519 ");
    assertThat(Files.readString(dir.resolve("state/connection/holder.log")))
        .contains("stays on as the holder").contains("door: ran [--config, " + dir.resolve("config.yaml"));
    Path doors = Doors.dir(System.getenv(), System.getProperty("user.home"));
    Path config = dir.resolve("config.yaml");
    assertThat(Doors.door(doors, config)).as("the door is removed").doesNotExist();
    assertThat(LaunchRecord.file(doors, config)).as("the launch record is removed").doesNotExist();
  }
}
