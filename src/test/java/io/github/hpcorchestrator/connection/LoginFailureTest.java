package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginFailureTest {
  @TempDir
  Path dir;

  @Test
  void aFailureWrittenSinceTheWaitBeganIsReadBackAsTheSameKindAndLine() {
    Path file = dir.resolve("holder.failed");
    long since = System.currentTimeMillis() - 1000;
    new LoginFailure(true, "hpc.key_filename: cannot read /x\nstill the same line").write(file);

    LoginFailure read = LoginFailure.readIfSince(file, since).orElseThrow();
    assertThat(read.exception()).isInstanceOf(InputException.class)
        .hasMessage("hpc.key_filename: cannot read /x still the same line");
    new LoginFailure(false, "cannot connect").write(file);
    assertThat(LoginFailure.readIfSince(file, since).orElseThrow().exception())
        .isInstanceOf(OperationFailedException.class).hasMessage("cannot connect");
  }

  @Test
  void anOlderFailureAGarbledFileOrNoneIsNotThisWaitsFailure() throws Exception {
    Path file = dir.resolve("holder.failed");
    assertThat(LoginFailure.readIfSince(file, 0)).isEmpty();
    new LoginFailure(false, "cannot connect").write(file);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    assertThat(LoginFailure.readIfSince(file, System.currentTimeMillis() - 1000)).isEmpty();
    Files.writeString(file, "neither kind\nline\n");
    assertThat(LoginFailure.readIfSince(file, 0)).isEmpty();
  }
}
