import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a bench run found: the machine, one table row per figure, how each was measured; written as Markdown. */
final class Report {
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

  /** Writes the report to {@code out} (atomically), headed by the {@code command} that reproduces it. */
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
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.writeString(tmp, s.toString());
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Bench.log("wrote " + out);
  }
}
