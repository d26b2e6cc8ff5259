import io.github.hpcorchestrator.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Item 2 of BENCHMARKS.md: `--status` with 1, 50 and 500 tracked services, and the SLURM calls each makes. */
final class StatusScale {
  private final Bench b;

  StatusScale(Bench b) {
    this.b = b;
  }

  /** The rows, with the running exporter {@code exporterId} as the first tracked service. */
  void run(String exporterId) throws Exception {
    Map<Integer, Double> wall = new LinkedHashMap<>();
    Map<Integer, String> callCounts = new LinkedHashMap<>();
    int[] counts = b.smoke ? new int[] {1, 5, 20} : new int[] {1, 50, 500};
    int have = 1;
    boolean oneCall = true;
    for (int n : counts) {
      Bench.log("2: submitting " + (n - have) + " sleeping jobs");
      b.sleepers.submit(n - have, true);
      have = n;
      b.cli(b.cfg1, "--status", "--output", "json"); // the first status reads each new service's connection once
      List<Double> t = new ArrayList<>();
      List<String> perCall = new ArrayList<>();
      for (int i = 0; i < b.iterations; i++) {
        int before = b.calls().size();
        Bench.Proc p = b.cli(b.cfg1, "--status", "--output", "json");
        List<String> all = b.calls();
        List<String> during = all.subList(before, all.size());
        t.add(p.ms());
        perCall.add(during.size() + (during.isEmpty() ? "" : " (" + String.join(", ", during.stream()
            .map(c -> c.split(" ")[0]).distinct().toList()) + ")"));
        oneCall &= during.size() == 1;
        int listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out()).get("services").size();
        if (listed < n) {
          throw new IllegalStateException("--status listed " + listed + " services, expected >= " + n);
        }
      }
      wall.put(n, Figures.median(t));
      callCounts.put(n, perCall.stream().distinct().reduce((a, b) -> a + "; " + b).orElse(""));
    }
    int lo = counts[0];
    int hi = counts[counts.length - 1];
    for (int n : counts) {
      b.report.row("2", "`--status` (CLI, JVM start included) with " + n + " tracked services: SLURM calls "
          + callCounts.get(n), Figures.ms(wall.get(n)),
          n == lo ? "" : Figures.ms(wall.get(lo)) + " (" + lo + " service)",
          n == lo ? "" : Figures.x(wall.get(n) / wall.get(lo)) + " of 1 service",
          n == hi ? "one squeue; <= 1.5x of 1 service" : "one squeue",
          n == hi ? oneCall && wall.get(n) <= 1.5 * wall.get(lo)
              : oneCall);
    }
    b.report.note("2: the first service is the node exporter (a real job started through the library); the others are "
        + "`sleep` jobs submitted with sbatch on this machine (" + (hi - 1) + " jobs, most of them PENDING on 3 nodes), "
        + "each with a service folder (connection and session file) and a state row inserted with StateStore, so "
        + "every one is both tracked and listed by squeue. One untimed `--status` after each batch lets the "
        + "orchestrator record the new services' ports once; the timed calls are the steady state. SLURM calls "
        + "are counted from the testbed's CALL_LOG (every sbatch/squeue/sacct/scancel wrapper call).");
  }
}
