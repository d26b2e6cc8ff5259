import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Sleeping SLURM jobs named like services, submitted on this machine, for the scale items (2 and 4). */
final class Sleepers {
  private final Bench b;
  private int sleeperSeq;
  /** The job ID of every sleeper submitted, for {@link #cancelAll}. */
  private final List<String> jobIds = Collections.synchronizedList(new ArrayList<>());

  Sleepers(Bench b) {
    this.b = b;
  }

  /** Submits {@code n} sleeping jobs named like services, with service folders and state rows. */
  List<String> submit(int n, boolean stateRows) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    Map<String, String> jobs = Collections.synchronizedMap(new LinkedHashMap<>());
    for (int i = 0; i < n; i++) {
      String id = String.format("sleeper_%08x", 0x5000_0000 + sleeperSeq++);
      fs.add(pool.submit(() -> {
        Path dir = b.remoteDir().resolve("services").resolve(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("session"), "session_bench\n");
        Files.writeString(dir.resolve("connection"), "host=" + b.nodes.get(0) + "\nport=" + (20000 + (id.hashCode() & 0x3fff))
            + "\njob_id=0\n");
        Bench.Proc p = b.exec(List.of("sbatch", "--parsable", "-J", id, "--chdir", dir.toString(), "-o", "slurm-%j.out",
            "--mem=16M", "--wrap", "exec sleep 3600"), b.slurmEnv, 60);
        if (p.code() != 0) {
          failures.incrementAndGet();
          return null;
        }
        String jobId = p.out().strip().split(";")[0];
        jobIds.add(jobId);
        jobs.put(id, jobId);
        ids.add(id);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sbatch calls failed");
    }
    if (stateRows) {
      try (StateStore store = StateStore.open(b.work.resolve("state"))) {
        Instant now = Instant.now();
        jobs.forEach((id, job) -> store.insert(new ServiceRecord(id, "sleeper", "session_bench", "slurm", job,
            b.remoteDir().resolve("services").resolve(id).toString(), 0, JobState.PENDING, "", "", 0,
            Optional.empty(), now, Optional.empty(), Optional.empty(), "bench")));
      }
    }
    return ids;
  }

  /**
   * Cancels every sleeper this run submitted, by job ID: on a cluster given with --config the user
   * has other jobs, which are not the bench's to cancel.
   */
  void cancelAll() throws Exception {
    List<String> all;
    synchronized (jobIds) {
      all = new ArrayList<>(jobIds);
    }
    for (int from = 0; from < all.size(); from += 200) {
      List<String> argv = new ArrayList<>(List.of("scancel"));
      argv.addAll(all.subList(from, Math.min(all.size(), from + 200)));
      b.exec(argv, b.slurmEnv, 60);
    }
  }
}
