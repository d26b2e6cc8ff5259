package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark client job: {@code ClientMain --plan client.json --out DIR} runs the plan's load and
 * writes requests.jsonl, progress.json and summary.json/.csv into DIR; exits 0 when complete within
 * {@code max_error_rate}, 1 when not, 2 for a bad plan, 143 when stopped by SIGTERM or SIGINT.
 */
public final class ClientMain {
  /** Exit code of a run that was stopped before its load was done. */
  public static final int STOPPED = 143;
  // In-flight requests may finish this long after a stop before they are cut.
  private static final long STOP_GRACE_NANOS = 2_000_000_000L;
  private static final long PROGRESS_MILLIS = 500;

  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile LoadRunner runner;
  private volatile boolean stopRequested;

  /** Runs the client as a process: a signal stops it and it exits with the run's code. */
  public static void main(String[] args) {
    ClientMain m = new ClientMain();
    Thread hook = new Thread(m::onSignal, "client-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = m.execute(args, System.err);
    if (m.stopRequested) {
      m.finished.countDown(); // the shutdown hook is waiting for the partial summary; it exits 143
      return;
    }
    m.finished.countDown();
    System.exit(code);
  }

  // Runs in the JVM's shutdown: a SIGTERM/SIGINT mid-run stops the load, waits for the partial summary.
  private void onSignal() {
    if (finished.getCount() == 0) {
      return; // the run ended by itself; this is its own System.exit
    }
    stop();
    try {
      finished.await(STOP_GRACE_NANOS * 5, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(STOPPED);
  }

  /** Stops a running {@link #execute}: no new sends, in-flight ones get a short grace, summary partial. */
  public void stop() {
    stopRequested = true;
    LoadRunner r = runner;
    if (r != null) {
      r.stop();
    }
  }

  /** Runs one plan to its end and returns the exit code; bad input is one line on {@code err}. */
  public int execute(String[] args, PrintStream err) {
    Path plan = null;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--plan") && i + 1 < args.length) {
        plan = Path.of(args[++i]);
      } else if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else {
        err.println("usage: ClientMain --plan client.json --out DIR (found: " + args[i] + ")");
        return 2;
      }
    }
    if (plan == null || out == null) {
      err.println("usage: ClientMain --plan client.json --out DIR");
      return 2;
    }
    try {
      return run(plan, out);
    } catch (BadPlanException e) {
      err.println(e.getMessage());
      return 2;
    }
  }

  private int run(Path planFile, Path out) throws BadPlanException {
    Path jobDir = Path.of("").toAbsolutePath();
    ClientPlan plan = read(planFile);
    new PlanCheck(planFile.toString()).check(plan);
    PromptSource prompts = PromptSource.load(plan.prompts(), jobDir);
    RequestFactory factory = RequestFactory.of(plan, jobDir);
    ExecutorService io = Executors.newCachedThreadPool(daemon("client-http"));
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("client-timer"));
    try {
      HttpClient client = RequestFactory.client(plan, jobDir, io);
      ClientWarmup.run(client, plan.workload().type());
      factory.request(prompts.get(0)); // loads the request builders' classes before the clock starts
      long startNanos = System.nanoTime();
      double startedAt = System.currentTimeMillis() / 1000.0;
      try (Recorder recorder = new Recorder(out, plan.clientId(), LoadRunner.planned(plan.load()),
          plan.load().rate().isPresent(), startedAt, startNanos)) {
        LoadRunner r = new LoadRunner(plan, factory, client, prompts, recorder, timers);
        runner = r;
        if (stopRequested) {
          r.stop();
        }
        recorder.writeProgress("running", 0); // also pays the JSON writer's first-use cost before the clock
        recorder.startClock();
        recorder.writeProgress("running", 0);
        timers.scheduleAtFixedRate(() -> recorder.writeProgress("running", System.nanoTime() - recorder.startNanos()),
            PROGRESS_MILLIS, PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
        r.run(STOP_GRACE_NANOS);
        timers.shutdownNow();
        awaitQuietly(timers);
        long measured = recorder.measuredRequests();
        boolean tooManyErrors = measured > 0 && recorder.measuredErrors() > plan.maxErrorRate() * measured;
        String state = r.stopped() ? "stopped" : tooManyErrors ? "failed" : "completed";
        recorder.writeSummary(r.stopped());
        recorder.writeProgress(state, System.nanoTime() - recorder.startNanos());
        return r.stopped() ? STOPPED : tooManyErrors ? 1 : 0;
      }
    } finally {
      timers.shutdownNow();
      io.shutdownNow();
    }
  }

  private static void awaitQuietly(ScheduledExecutorService timers) {
    try {
      timers.awaitTermination(5, TimeUnit.SECONDS); // a progress write in progress finishes first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ClientPlan read(Path planFile) throws BadPlanException {
    try {
      return ClientPlan.fromJson(Files.readString(planFile, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new BadPlanException(planFile + ": expected a client plan (JSON), found no such file");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new BadPlanException(planFile + ": expected a client plan (JSON), found invalid JSON" + where + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new BadPlanException(planFile + ": expected a readable client plan, found " + e.getMessage());
    }
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    };
  }
}
