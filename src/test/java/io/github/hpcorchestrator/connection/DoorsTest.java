package io.github.hpcorchestrator.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoorsTest {
  @Test
  void folderIsXdgRuntimeDirElseHomeCache() {
    assertEquals(Path.of("/run/user/7/hpc-orchestrator/doors"), Doors.dir(Map.of("XDG_RUNTIME_DIR", "/run/user/7"), "/h"));
    assertEquals(Path.of("/h/.cache/hpc-orchestrator/doors"), Doors.dir(Map.of(), "/h"));
  }

  @Test
  void aDoorIsAPrivateLinkToTheSocketAndGoesWithItsHolder(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("doors");
    Path a = Path.of("/x/a.yaml");
    Path b = Path.of("/x/b.yaml");
    assertNotEquals(Doors.door(dir, a), Doors.door(dir, b));
    assertTrue(Doors.make(dir, a, tmp.resolve("s1/holder.sock")));
    assertTrue(Doors.make(dir, a, tmp.resolve("s1/holder.sock")));
    assertTrue(Doors.make(dir, b, tmp.resolve("s2/holder.sock")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertTrue(Doors.isPrivate(dir));
    assertEquals(tmp.resolve("s1/holder.sock"), Files.readSymbolicLink(Doors.door(dir, a)));
    Doors.removeFor(dir, tmp.resolve("s1/holder.sock"));
    assertFalse(Files.isSymbolicLink(Doors.door(dir, a)));
    assertTrue(Files.isSymbolicLink(Doors.door(dir, b)));
  }

  @Test
  void makingADoorRemovesThoseWhoseStateDirIsGone(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("doors");
    Path kept = Files.createDirectories(tmp.resolve("state-kept"));
    Path gone = Files.createDirectories(tmp.resolve("state-gone"));
    assertTrue(Doors.make(dir, Path.of("/x/kept.yaml"), kept.resolve("connection/holder.sock")));
    assertTrue(Doors.make(dir, Path.of("/x/gone.yaml"), gone.resolve("connection/holder.sock")));
    Files.delete(gone);

    assertTrue(Doors.make(dir, Path.of("/x/new.yaml"), tmp.resolve("state-new/connection/holder.sock")));

    assertFalse(Files.isSymbolicLink(Doors.door(dir, Path.of("/x/gone.yaml"))));
    assertTrue(Files.isSymbolicLink(Doors.door(dir, Path.of("/x/kept.yaml"))));
    // Its own state_dir need not exist yet: the door is made before the first call creates it.
    assertTrue(Files.isSymbolicLink(Doors.door(dir, Path.of("/x/new.yaml"))));
  }

  @Test
  void aFolderOthersCanEnterIsNotUsed(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("doors");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertFalse(Doors.isPrivate(dir));
    assertFalse(Doors.make(dir, Path.of("/x/a.yaml"), tmp.resolve("holder.sock")));
  }
}
