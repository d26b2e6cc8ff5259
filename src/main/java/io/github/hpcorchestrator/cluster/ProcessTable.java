package io.github.hpcorchestrator.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads process groups from Linux's /proc. Zombies do not count as alive: the init process of a
 * container may never reap an orphaned service, and a zombie holds no port and does no work.
 */
public final class ProcessTable {
  private final Path proc;

  public ProcessTable() {
    this(Path.of("/proc"));
  }

  ProcessTable(Path proc) {
    this.proc = proc;
  }

  /** Whether a live (non-zombie) process belongs to process group {@code pgid}. */
  public boolean groupAlive(long pgid) {
    try (Stream<Path> entries = Files.list(proc)) {
      return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .anyMatch(p -> liveMember(p.resolve("stat"), pgid));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Process {@code pid} as /proc shows it now, if it exists.
   */
  public java.util.Optional<ProcessInfo> process(long pid) {
    Path dir = proc.resolve(Long.toString(pid));
    String text;
    byte[] cmdline;
    try {
      text = Files.readString(dir.resolve("stat"));
      cmdline = Files.readAllBytes(dir.resolve("cmdline"));
    } catch (IOException e) {
      return java.util.Optional.empty(); // no such process, or it ended while we looked
    }
    int close = text.lastIndexOf(')');
    if (close < 0 || close + 2 > text.length()) {
      return java.util.Optional.empty();
    }
    // After "(comm) ": state is field 3, so field 22 (start time) is index 19.
    String[] fields = text.substring(close + 2).split(" ");
    if (fields.length < 20 || !fields[19].matches("\\d{1,19}")) {
      return java.util.Optional.empty();
    }
    java.util.List<String> argv = new java.util.ArrayList<>();
    int from = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        argv.add(new String(cmdline, from, i - from, java.nio.charset.StandardCharsets.UTF_8));
        from = i + 1;
      }
    }
    if (from < cmdline.length) {
      argv.add(new String(cmdline, from, cmdline.length - from, java.nio.charset.StandardCharsets.UTF_8));
    }
    return java.util.Optional.of(new ProcessInfo(pid, fields[0], Long.parseLong(fields[19]), argv));
  }

  /** The process groups that have a live (non-zombie) member, from one pass over /proc. */
  public java.util.Set<Long> liveGroups() {
    java.util.Set<Long> groups = new java.util.HashSet<>();
    try (Stream<Path> entries = Files.list(proc)) {
      entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(p -> liveGroup(p.resolve("stat")).ifPresent(groups::add));
    } catch (IOException e) {
      return groups;
    }
    return groups;
  }

  private static java.util.Optional<Long> liveGroup(Path stat) {
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return java.util.Optional.empty();
    }
    String[] fields = text.substring(close + 2).split(" ");
    if (fields.length < 3 || fields[0].equals("Z") || fields[0].equals("X") || !fields[2].matches("\\d{1,19}")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Long.parseLong(fields[2]));
  }

  private static boolean liveMember(Path stat, long pgid) {
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException e) {
      return false; // the process ended while we looked
    }
    // Format: pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses.
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return false;
    }
    String[] fields = text.substring(close + 2).split(" ");
    if (fields.length < 3) {
      return false;
    }
    String state = fields[0];
    return !state.equals("Z") && !state.equals("X") && fields[2].equals(Long.toString(pgid));
  }
}
