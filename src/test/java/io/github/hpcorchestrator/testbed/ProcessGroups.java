package io.github.hpcorchestrator.testbed;

import io.github.hpcorchestrator.cluster.ProcessInfo;
import io.github.hpcorchestrator.cluster.ProcessTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one /proc process-group scanner of the tests: what production's {@link ProcessTable} says
 * of a group, plus the members themselves, which tests list to see what a stop left behind.
 */
public final class ProcessGroups {
  private static final Path PROC = Path.of("/proc");

  private ProcessGroups() {}

  /** Whether a live (non-zombie) process is in process group {@code pgid}, as production decides it. */
  public static boolean alive(String pgid) {
    return new ProcessTable().groupAlive(Long.parseLong(pgid));
  }

  /** The live (non-zombie) processes of process group {@code pgid} now, by ID. */
  public static List<Long> members(long pgid) {
    return live(pgid).stream().map(ProcessInfo::pid).toList();
  }

  /** Like {@link #members(long)} for a job ID that is a process group ID. */
  public static List<Long> members(String pgid) {
    return members(Long.parseLong(pgid));
  }

  /**
   * Kills (SIGKILL) each of {@code pgids} that still has a live member: for a test's clean-up,
   * given only the groups the test saw its own jobs run in.
   */
  public static void killLeftovers(Collection<String> pgids) throws IOException, InterruptedException {
    for (String pgid : pgids) {
      if (alive(pgid)) {
        new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).start().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The live member of group {@code pgid} whose program file is named {@code program}, if any. */
  public static Optional<ProcessInfo> member(String pgid, String program) {
    return live(Long.parseLong(pgid)).stream()
        .filter(p -> !p.argv().isEmpty() && Path.of(p.argv().get(0)).getFileName().toString().equals(program))
        .findFirst();
  }

  private static List<ProcessInfo> live(long pgid) {
    ProcessTable table = new ProcessTable();
    List<ProcessInfo> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(PROC)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit) && groupOf(p).equals(Optional.of(pgid))) {
          table.process(Long.parseLong(name)).filter(info -> !info.zombie()).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  // Field 5 of /proc/PID/stat, after "(comm)", which may itself hold spaces and parentheses.
  private static Optional<Long> groupOf(Path procDir) {
    try {
      String stat = Files.readString(procDir.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return fields.length > 2 ? Optional.of(Long.parseLong(fields[2])) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // it ended while we looked
    }
  }
}
