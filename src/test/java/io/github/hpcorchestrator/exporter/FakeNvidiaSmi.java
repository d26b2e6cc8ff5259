package io.github.hpcorchestrator.exporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Shell scripts standing in for nvidia-smi. */
final class FakeNvidiaSmi {
  private FakeNvidiaSmi() {}

  /** An executable in {@code dir} that runs {@code body} (sh) and records its arguments in args.txt. */
  static Path script(Path dir, String body) throws IOException {
    Path script = dir.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + dir.resolve("args.txt") + "'\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** An executable that prints the recording {@code name} and exits 0. */
  static Path printing(Path dir, String name) throws IOException {
    Path recording = Files.writeString(dir.resolve(name), RecordedHttpServer.resource("nvidia-smi/" + name));
    return script(dir, "cat '" + recording + "'");
  }
}
