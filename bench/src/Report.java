import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bench run found: the machine, one table row per figure, how each was measured; written as
 * Markdown at the top of the report file, above what others wrote there (kept).
 */
final class Report {
  /** Ends this run's part of the file: what follows it was written by hand or by other benches. */
  static final String END = "<!-- end of bench/run's part; what follows is kept when it runs again -->";

  /** One line of the table. */
  private record Row(String item, String what, String ours, String reference, String ratio, String target,
      String met) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> machine = new ArrayList<>();

  /** Adds a row of the table (and logs it). */
  void row(String item, String what, String ours, String reference, String ratio, String target, boolean met) {
    rows.add(new Row(item, what, ours, reference, ratio, target, met ? "yes" : "**no**"));
    Bench.log(item + " " + what + ": " + ours + " | " + reference + " | " + ratio + " | " + target + " | " + met);
  }

  /** Adds a line of "How each figure was measured". */
  void note(String note) {
    notes.add(note);
  }

  /** Adds a line of "Machine". */
  void machine(String line) {
    machine.add(line);
  }

  /**
   * Writes the report to {@code out} (atomically), headed by the {@code command} that reproduces it,
   * in place of the part an earlier run wrote: the rest of the file is kept (all of it, below this
   * report, if it has no {@link #END} line).
   */
  void write(Path out, String command, boolean smoke, int iterations) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("# Benchmarks\n\n");
    s.append("Latency of the cluster path as users feel it, measured side by side in one run of\n\n```bash\n")
        .append(command).append("\n```\n\n");
    s.append(smoke ? "**Smoke run (1 iteration, small counts): not representative.**\n\n"
        : "Medians over " + iterations + " iterations (more where a row says so).\n\n");
    s.append("## Machine\n\n");
    machine.forEach(m -> s.append("- ").append(m).append('\n'));
    s.append("\n## Results\n\n| # | what | ours | reference | ratio | target | met |\n|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      s.append("| ").append(String.join(" | ", r.item, r.what, r.ours, r.reference, r.ratio, r.target, r.met))
          .append(" |\n");
    }
    s.append("\n## How each figure was measured\n\n");
    notes.forEach(n -> s.append("- ").append(n).append('\n'));
    s.append('\n').append(END);
    s.append(kept(out));
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.writeString(tmp, s.toString());
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Bench.log("wrote " + out);
  }

  /** What {@code out} holds after an earlier run's part, or all of it without one; empty for no file. */
  private static String kept(Path out) throws IOException {
    if (!Files.exists(out)) {
      return "";
    }
    String old = Files.readString(out);
    int end = old.indexOf(END);
    return end < 0 ? "\n\n" + old : old.substring(end + END.length());
  }
}
