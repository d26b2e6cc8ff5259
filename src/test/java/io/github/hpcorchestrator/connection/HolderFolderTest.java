package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.testbed.TempFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HolderFolderTest {
  private Path state;

  @BeforeEach
  void setUp() throws Exception {
    state = Files.createTempDirectory("holder-folder");
  }

  @AfterEach
  void tearDown() {
    TempFolder.deleteQuietly(state);
  }

  @Test
  void aMissingFolderIsCreatedOwnerOnly() throws Exception {
    HolderFolder f = HolderFolder.in(state.resolve("new state"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.dir()))).isEqualTo("rwx------");
    assertThat(f.socket().getParent()).isEqualTo(f.dir());
  }

  @Test
  void aFolderOthersCanEnterIsRefused() throws Exception {
    Path dir = Files.createDirectory(state.resolve("connection"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> HolderFolder.in(state)).isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("mode 0700, found owner").hasMessageContaining("rwxr-xr-x");
  }

  @Test
  void aSymlinkInItsPlaceIsRefused() throws Exception {
    Path elsewhere = Files.createDirectory(state.resolve("elsewhere"));
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(state.resolve("connection"), elsewhere);

    assertThatThrownBy(() -> HolderFolder.in(state)).isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("found something else");
  }
}
