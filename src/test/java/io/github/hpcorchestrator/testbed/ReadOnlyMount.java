package io.github.hpcorchestrator.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder made read-only by a read-only bind mount over itself: tests run as root, for whom
 * file modes do not stop writes, but a read-only mount does (EROFS). Where mounting is not
 * allowed (no CAP_SYS_ADMIN), the test is skipped, saying why.
 */
public final class ReadOnlyMount implements AutoCloseable {
  private final Path dir;

  private ReadOnlyMount(Path dir) {
    this.dir = dir;
  }

  /** Mounts {@code dir} read-only over itself until {@link #close()}. */
  public static ReadOnlyMount of(Path dir) throws IOException, InterruptedException {
    String path = dir.toAbsolutePath().toString();
    assumeTrue(run(List.of("mount", "--bind", path, path)), "cannot bind-mount here (needs root and CAP_SYS_ADMIN)");
    ReadOnlyMount mount = new ReadOnlyMount(dir);
    if (!run(List.of("mount", "-o", "remount,ro,bind", path))) {
      mount.close();
      assumeTrue(false, "cannot remount a bind mount read-only here");
    }
    return mount;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!run(List.of("umount", dir.toAbsolutePath().toString()))) {
      throw new IOException("cannot unmount " + dir);
    }
  }

  private static boolean run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    return p.waitFor() == 0;
  }
}
