package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.files.FileTrees;
import io.github.hpcorchestrator.transport.ChunkedUpload;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Java runtime for the sidecars (discovery loop, exporters) made with this JDK's {@code jlink},
 * packed as a tar.gz and kept under a folder of this machine's state, so it is built once per JDK.
 */
public final class JlinkRuntime {
  /**
   * What the sidecars' classes and their jars use (jdeps over the runtime jars): the HTTP server
   * and client, Jackson's optional java.beans and java.sql types, and EC for TLS handshakes.
   */
  static final List<String> MODULES = List.of("java.base", "java.desktop", "java.logging", "java.net.http",
      "java.sql", "jdk.httpserver", "jdk.unsupported", "jdk.crypto.ec");
  private static final Duration JLINK_TIMEOUT = Duration.ofMinutes(5);

  private final Path cacheDir;
  private final Path javaHome;
  private final Consumer<String> progress;

  /**
   * @param cacheDir where archives are kept (created when needed)
   * @param javaHome the JDK whose jlink and modules are used
   * @param progress told when a runtime is being made
   */
  public JlinkRuntime(Path cacheDir, Path javaHome, Consumer<String> progress) {
    this.cacheDir = cacheDir;
    this.javaHome = javaHome;
    this.progress = progress;
  }

  /** Whether a runtime made here runs on a Linux login node whose {@code uname -m} is {@code arch}. */
  public static boolean canTarget(String arch) {
    return System.getProperty("os.name", "").equals("Linux") && ElfMachine.sameArch(ElfMachine.localUname(), arch);
  }

  /**
   * The archive (a tar.gz whose top level holds bin/java), made now if this JDK has none cached.
   *
   * @throws OperationFailedException when this JDK has no jlink or jlink fails
   */
  public Path archive() {
    Path jlink = javaHome.resolve("bin").resolve("jlink");
    if (!Files.isExecutable(jlink)) {
      throw new OperationFailedException("no java 17+ for the sidecars on the cluster, and " + javaHome
          + " has no jlink to make one: run the orchestrator with a full JDK 17+, install Java 17+ on the"
          + " cluster (or load it in slurm.setup), or set slurm.tools.java");
    }
    Path archive = cacheDir.resolve("jre-" + key() + ".tar.gz");
    if (Files.isRegularFile(archive)) {
      return archive;
    }
    progress.accept("making a Java runtime for the cluster's sidecars with jlink (" + String.join(",", MODULES)
        + "), once...");
    Path work;
    try {
      Files.createDirectories(cacheDir);
      work = Files.createTempDirectory(cacheDir, ".jlink-");
    } catch (IOException e) {
      throw new OperationFailedException("cannot create " + cacheDir + ": " + e.getMessage(), e);
    }
    try (Shell local = new LocalShell()) {
      Path image = work.resolve("jre");
      Path tar = work.resolve("jre.tar.gz");
      run(local, List.of(jlink.toString(), "--add-modules", String.join(",", MODULES), "--strip-debug",
          "--no-header-files", "--no-man-pages", "--output", image.toString()), "jlink");
      run(local, List.of("tar", "-czf", tar.toString(), "-C", image.toString(), "."), "tar");
      Files.move(tar, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      progress.accept("made the Java runtime " + archive + " (" + ChunkedUpload.mb(Files.size(archive)) + ")");
      return archive;
    } catch (IOException e) {
      throw new OperationFailedException("cannot keep the Java runtime in " + archive + ": " + e.getMessage(), e);
    } finally {
      delete(work);
    }
  }

  /** Same JDK and modules, same archive; another JDK (an update) makes a new one. */
  private String key() {
    String identity = javaHome.toAbsolutePath() + "\n" + System.getProperty("java.runtime.version") + "\n" + MODULES;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(Shell local, List<String> argv, String what) {
    CommandResult r = local.run(argv, JLINK_TIMEOUT);
    if (!r.ok()) {
      String detail = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
      String last = detail.isEmpty() ? "exit code " + r.exitCode() : detail.lines().reduce((a, b) -> b).orElse("");
      throw new OperationFailedException(what + " failed while making the sidecars' Java runtime: " + last);
    }
  }

  private static void delete(Path dir) {
    try {
      FileTrees.remove(dir);
    } catch (IOException | java.io.UncheckedIOException e) {
      // A leftover temp folder under the cache is harmless; the archive is what counts.
    }
  }
}
