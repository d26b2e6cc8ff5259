package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hands each port to one local job: a start records the ports it picked in a {@code ports} file
 * in its service folder, and later starts skip the ports of every folder whose job has not ended,
 * also one that has not bound its port yet. Starts pick one at a time, under a lock file that
 * separate CLI processes share.
 */
final class LocalPorts {
  static final String FILE = "ports";
  private static final String LOCK_FILE = ".ports.lock";
  /** How long a folder whose job has not written job.pid yet keeps its ports: a start that died
   *  before its script ran must not hold them for good. */
  private static final Duration STARTING_FOR = Duration.ofSeconds(60);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
  private static final Duration LOCK_POLL = Duration.ofMillis(10);

  /** A start step that may fail with an I/O error. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws IOException;
  }

  private final Path root;

  /** @param root the folder of service folders */
  LocalPorts(Path root) {
    this.root = root;
  }

  /** Runs {@code step} while no other start (thread or process) picks ports in {@code root}. */
  <T> T locked(Step<T> step) throws IOException {
    Files.createDirectories(root);
    // Private like every other file of the state folder.
    try (FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), java.util.Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            AtomicFiles.permissions(0600)))) {
      long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          try (lock) {
            return step.run();
          }
        }
        if (System.nanoTime() > deadline) {
          throw new OperationFailedException("another start held " + root.resolve(LOCK_FILE) + " for over "
              + LOCK_WAIT.toSeconds() + " s");
        }
        try {
          Thread.sleep(LOCK_POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OperationFailedException("interrupted while waiting for " + root.resolve(LOCK_FILE), e);
        }
      }
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // another thread of this JVM holds it
    }
  }

  /**
   * The ports recorded by the jobs of other folders that are starting or running.
   *
   * @param jobLive whether the job of a service folder that has a job.pid still runs (and is ours)
   */
  Set<Integer> taken(Path except, Predicate<Path> jobLive) throws IOException {
    Set<Integer> taken = new HashSet<>();
    if (!Files.isDirectory(root)) {
      return taken;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        if (!dir.equals(except) && holds(dir, jobLive)) {
          taken.addAll(recorded(dir));
        }
      }
    }
    return taken;
  }

  private static boolean holds(Path dir, Predicate<Path> jobLive) {
    if (Files.exists(dir.resolve("exit_code"))) {
      return false;
    }
    if (Files.exists(dir.resolve("job.pid"))) {
      return jobLive.test(dir);
    }
    return modified(dir.resolve(FILE)).map(t -> t.isAfter(Instant.now().minus(STARTING_FOR))).orElse(false);
  }

  /** The ports of {@code dir}'s ports file and, for jobs started before it existed, its connection file. */
  private static Set<Integer> recorded(Path dir) {
    Set<Integer> ports = new HashSet<>();
    read(dir.resolve(FILE)).lines().map(String::strip).filter(l -> l.matches("\\d{1,5}"))
        .forEach(l -> ports.add(Integer.parseInt(l)));
    ConnectionFile.parse(read(dir.resolve("connection"))).ifPresent(c -> {
      ports.add(c.port());
      ports.addAll(c.sidecarPorts().values());
    });
    return ports;
  }

  /** Records {@code ports} as handed to the job of {@code dir}. */
  static void record(Path dir, List<Integer> ports) {
    String text = ports.stream().filter(p -> p > 0).map(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
    AtomicFiles.write(dir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8), 0600);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<Instant> modified(Path file) {
    try {
      return Optional.of(Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
