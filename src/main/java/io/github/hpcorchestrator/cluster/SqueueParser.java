package io.github.hpcorchestrator.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code squeue --noheader --format=} output in {@link #FORMAT}. The job name and work
 * folder come last, so a name with the delimiter in it cannot shift the other fields; it only
 * spoils its own work folder, which then names no service folder of the orchestrator's.
 */
public final class SqueueParser {
  /** Job ID, state, reason, node list, start time, name, work folder. */
  public static final String FORMAT = "%i|%T|%r|%N|%S|%j|%Z";

  private SqueueParser() {}

  /**
   * One line of squeue.
   *
   * @param start start time as SLURM prints it ("N/A" when unknown; expected start when pending)
   * @param workDir the job's working folder (sbatch --chdir); it tells the orchestrator's jobs
   *     apart from other programs' and from other configs' with another remote_dir
   */
  public record Row(String jobId, String state, String reason, List<String> nodes, String start, String name,
      String workDir) {
    public Row {
      nodes = List.copyOf(nodes);
    }
  }

  /** The rows of {@code output}; blank or malformed lines are skipped. */
  public static List<Row> parse(String output) {
    List<Row> rows = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\|", 7);
      if (f.length < 6 || f[0].isBlank()) {
        continue;
      }
      List<String> nodes;
      try {
        nodes = NodeListExpander.expand(f[3]);
      } catch (IllegalArgumentException e) {
        nodes = List.of(f[3].trim());
      }
      rows.add(new Row(f[0].trim(), f[1].trim(), f[2].trim(), nodes, f[4].trim(), f[5], f.length > 6 ? f[6] : ""));
    }
    return rows;
  }
}
