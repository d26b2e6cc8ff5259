package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process of a holder as its folder records it (pid and kernel start time), so that a hung
 * holder is killed only when that pid is still the very process that started there, never a
 * process that reused its pid.
 */
record HolderProcess(long pid, long startTime) {

  /** This JVM's record, if /proc tells its start time. */
  static Optional<HolderProcess> current() {
    return of(ProcessHandle.current().pid());
  }

  /** The record of the running process {@code pid}, if /proc tells its start time. */
  static Optional<HolderProcess> of(long pid) {
    OptionalLong start = startTime(pid);
    return start.isPresent() ? Optional.of(new HolderProcess(pid, start.getAsLong())) : Optional.empty();
  }

  /** Field 22 of /proc/PID/stat (clock ticks after boot); empty when no such process or a dead one. */
  static OptionalLong startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      if ("Z".equals(rest[0]) || "X".equals(rest[0])) {
        return OptionalLong.empty(); // dead, only not yet reaped by its parent
      }
      return OptionalLong.of(Long.parseLong(rest[22 - 3]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Writes this record to {@code file}, owner-only and atomically (writers at the same time each
   * use a temporary file of their own).
   *
   * @throws io.github.hpcorchestrator.OperationFailedException when it cannot be written
   */
  void write(Path file) {
    AtomicFiles.write(file, (pid + " " + startTime + "\n").getBytes(StandardCharsets.UTF_8), 0600);
  }

  /** The record in {@code file}; empty when missing or garbled. */
  static Optional<HolderProcess> read(Path file) {
    try {
      String[] f = Files.readString(file).trim().split(" ");
      return Optional.of(new HolderProcess(Long.parseLong(f[0]), Long.parseLong(f[1])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * This JVM's network namespace, as the link /proc/self/ns/net names it ({@code net:[4026531840]});
   * empty where /proc has none (no namespaces to tell apart).
   */
  static Optional<String> ownNetwork() {
    return network("self");
  }

  /** The network namespace of this process if it is still the recorded one and /proc tells it; else empty. */
  Optional<String> network() {
    Optional<String> net = network(Long.toString(pid));
    // Checked after the read, so a pid reused meanwhile does not lend its namespace.
    return isRunning() ? net : Optional.empty();
  }

  private static Optional<String> network(String proc) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", proc, "ns", "net")).toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether this pid is alive and is still the process that wrote the record. */
  boolean isRunning() {
    OptionalLong now = startTime(pid);
    return now.isPresent() && now.getAsLong() == startTime;
  }

  /** SIGKILLs this process if it is still the recorded one, and waits for its end; whether it is gone. */
  boolean kill(Duration wait) {
    if (!isRunning()) {
      return true;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return true;
    }
    // destroyForcibly is SIGKILL on Unix: also ends a stopped (SIGSTOPped) process.
    h.get().destroyForcibly();
    return awaitEnd(wait);
  }

  /** Waits at most {@code wait} until this process has ended (or is another's pid now); whether it has. */
  boolean awaitEnd(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (isRunning() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !isRunning();
  }
}
