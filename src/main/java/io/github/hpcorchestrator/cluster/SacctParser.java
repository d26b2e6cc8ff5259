package io.github.hpcorchestrator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code sacct -n -P -o} {@link #FIELDS} output. Job step lines ({@code 123.batch},
 * {@code 123.0}) are skipped: the allocation line carries the job's state.
 */
public final class SacctParser {
  /** The fields requested, in order. */
  public static final String FIELDS = "JobID,State,ExitCode,NodeList,Start,JobName";

  private SacctParser() {}

  /**
   * One job as sacct reports it.
   *
   * @param exitCode the batch script's exit code; 128+signal when a signal ended it
   */
  public record Row(String jobId, String state, Optional<Integer> exitCode, List<String> nodes,
      String start, String name) {
    public Row {
      nodes = List.copyOf(nodes);
    }
  }

  /** The job rows of {@code output}. */
  public static List<Row> parse(String output) {
    List<Row> rows = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\|", 6);
      if (f.length < 6 || f[0].isBlank() || f[0].contains(".")) {
        continue;
      }
      List<String> nodes;
      try {
        nodes = NodeListExpander.expand(f[3]);
      } catch (IllegalArgumentException e) {
        nodes = List.of(f[3].trim());
      }
      rows.add(new Row(f[0].trim(), f[1].trim(), exitCode(f[2].trim()), nodes, f[4].trim(), f[5]));
    }
    return rows;
  }

  /** "3:0" is exit code 3; "0:15" means killed by signal 15, reported as 143 like a shell does. */
  static Optional<Integer> exitCode(String text) {
    String[] parts = text.split(":");
    if (parts.length != 2 || !parts[0].matches("\\d{1,3}") || !parts[1].matches("\\d{1,3}")) {
      return Optional.empty();
    }
    int code = Integer.parseInt(parts[0]);
    int signal = Integer.parseInt(parts[1]);
    return Optional.of(signal != 0 && code == 0 ? 128 + signal : code);
  }
}
