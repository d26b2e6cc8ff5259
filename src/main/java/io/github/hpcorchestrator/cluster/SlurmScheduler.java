package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs each service as a SLURM batch job named after the service, in
 * {@code <remoteDir>/services/<serviceId>} on the cluster. Every command is an argv list run
 * through a {@link Shell}: this machine when it is the login node, or SSH.
 *
 * <p>One {@link #poll} or {@link #discover} costs one {@code squeue} call; their results share
 * that call for {@link #QUEUE_CACHE_FOR}, so a refresh that discovers and then polls asks the
 * controller once. Jobs that left the queue are looked up with one {@code sacct} call when
 * accounting is enabled, otherwise from the {@code exit_code} file the job script leaves behind.
 */
public final class SlurmScheduler implements Scheduler {
  /** How long one squeue listing answers {@link #poll} and {@link #discover} calls. */
  public static final Duration QUEUE_CACHE_FOR = Duration.ofSeconds(1);
  private static final Pattern JOB_ID = Pattern.compile("\\d{1,12}");
  private static final String CANCELLED_WORDS = "stopped by the orchestrator";
  private static final int FAILED_LOG_LINES = 10;
  /** System property (seconds) that bounds the retries of an unreachable controller; tests shorten it. */
  public static final String CONTROLLER_RETRY_PROPERTY = "orchestrator.slurm.controller-retry-seconds";
  /** How long squeue is retried while the controller cannot be reached, unless the property says otherwise. */
  public static final Duration CONTROLLER_RETRY = Duration.ofSeconds(20);

  private final Shell shell;
  private final String configuredRemoteDir;
  private final SlurmDefaults defaults;
  private Layout layout; // guarded by this
  private final Clock clock;
  private Duration cancelWait = Duration.ofSeconds(30);
  private Duration cancelPollEvery = Duration.ofMillis(500);
  private final SqueueRetry squeueRetry = new SqueueRetry();

  private Instant queueAt;
  private List<SqueueParser.Row> queue;
  /** Null until the first sacct call tells whether this cluster keeps accounting. */
  private Boolean accounting;
  /** Outcomes of jobs that left the queue; they cannot change, so they are looked up once. */
  private final Map<String, JobStatus> finished = new HashMap<>();

  /**
   * @param shell runs SLURM commands and moves files on the cluster side
   * @param remoteDir the orchestrator's folder on the cluster; a leading "$HOME" or "~" expands to
   *     {@link Shell#home()}
   * @param defaults job defaults that a recipe's resources override
   * @param clock time source for the squeue cache and start times
   */
  public SlurmScheduler(Shell shell, String remoteDir, SlurmDefaults defaults, Clock clock) {
    this.shell = shell;
    this.configuredRemoteDir = remoteDir;
    this.defaults = defaults;
    this.clock = clock;
  }

  /** Folder, job script and job names on the cluster, made on first use: a query never waits for the remote $HOME. */
  private synchronized Layout layout() {
    if (layout == null) {
      String home = shell.home().toString();
      String dir = stripSlash(SlurmJobScript.expandHome(configuredRemoteDir, home));
      layout = new Layout(dir, new SlurmJobScript(defaults, dir, home), new SlurmServiceJobs(dir));
    }
    return layout;
  }

  private record Layout(String remoteDir, SlurmJobScript script, SlurmServiceJobs jobs) {}

  /** Shortens the bounded wait of {@link #cancel} (tests). */
  void cancelWait(Duration total, Duration every) {
    this.cancelWait = total;
    this.cancelPollEvery = every;
  }

  /**
   * Bounds how long squeue is retried while slurmctld cannot be reached: pauses start at
   * {@code firstPause} and grow by one {@code firstPause} each time, until {@code total} is spent.
   * {@link Duration#ZERO} turns retries off.
   */
  public void controllerRetry(Duration total, Duration firstPause) {
    squeueRetry.bound(total, firstPause);
  }

  /** Receives one line per retry of an unreachable controller (default: stderr). */
  public void onControllerRetry(java.util.function.Consumer<String> progress) {
    squeueRetry.onRetry(progress);
  }

  @Override
  public String name() {
    return "slurm";
  }

  /** The service's folder on the cluster. */
  public String rootDir() {
    return layout().remoteDir();
  }

  /** The folder of one service on the cluster. */
  public String serviceDir(String serviceId) {
    return layout().jobs().serviceDir(serviceId);
  }

  @Override
  public String folderOf(String serviceId) {
    return serviceDir(serviceId);
  }

  @Override
  public String renderScript(JobSpec spec) {
    return layout().script().render(spec, serviceDir(spec.serviceId()));
  }

  @Override
  public SubmittedJob submit(JobSpec spec) {
    String dir = serviceDir(spec.serviceId());
    String text = renderScript(spec);
    // sbatch needs the folder for --chdir and --output before the job starts.
    CommandResult mkdir = shell.run(List.of("mkdir", "-p", "--", dir), Shell.SHORT_TIMEOUT);
    if (!mkdir.ok()) {
      throw new SubmitRefusedException("cannot create " + dir + ": " + oneLine(mkdir.stderr()));
    }
    for (Map.Entry<String, String> file : spec.files().entrySet()) {
      shell.writeFile(dir + "/" + file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8), 0600);
    }
    String jobScript = dir + "/job.sh";
    shell.writeFile(jobScript, text.getBytes(StandardCharsets.UTF_8), 0700);
    // Submitting twice would start the service twice: never retried on a dropped connection.
    CommandResult sbatch = shell.runOnce(List.of("sbatch", "--parsable", jobScript), Shell.SHORT_TIMEOUT);
    if (!sbatch.ok()) {
      throw new SubmitRefusedException("sbatch refused " + spec.serviceId() + ": "
          + oneLine(sbatch.stderr().isBlank() ? sbatch.stdout() : sbatch.stderr()));
    }
    queue = null;
    return new SubmittedJob(spec.serviceId(), parseJobId(sbatch.stdout()), dir);
  }

  /** The job ID from {@code sbatch --parsable} output: "12345" or "12345;cluster". */
  static String parseJobId(String output) {
    String line = output.strip().lines().reduce((a, b) -> b).orElse("");
    String id = line.split(";", 2)[0].strip();
    if (!JOB_ID.matcher(id).matches()) {
      throw new OperationFailedException("sbatch printed no job ID: " + oneLine(output));
    }
    return id;
  }

  @Override
  public Map<String, JobStatus> poll(Collection<SubmittedJob> jobs) {
    Map<String, JobStatus> result = new LinkedHashMap<>();
    if (jobs.isEmpty()) {
      return result;
    }
    Map<String, SqueueParser.Row> byId = byJobId(queue(false));
    List<SubmittedJob> left = new ArrayList<>();
    for (SubmittedJob job : jobs) {
      JobStatus known = finished.get(job.jobId());
      SqueueParser.Row row = ownRow(byId, job);
      if (known != null) {
        result.put(job.serviceId(), known);
      } else if (row != null && !SlurmStates.state(row.state()).isFinal()) {
        result.put(job.serviceId(), live(row));
      } else {
        left.add(job);
        result.put(job.serviceId(), null);
      }
    }
    if (!left.isEmpty()) {
      Map<String, SacctParser.Row> accounted = sacct(left.stream()
          .filter(j -> !byId.containsKey(j.jobId())).map(SubmittedJob::jobId).toList()); // a listed ID is that job's in sacct
      for (SubmittedJob job : left) {
        SqueueParser.Row row = ownRow(byId, job);
        JobStatus status = ended(job, Optional.ofNullable(row), Optional.ofNullable(accounted.get(job.jobId()))
            .filter(a -> a.name().strip().equals(job.serviceId())));
        finished.put(job.jobId(), status);
        result.put(job.serviceId(), status);
      }
    }
    return result;
  }

  private static Map<String, SqueueParser.Row> byJobId(List<SqueueParser.Row> rows) {
    Map<String, SqueueParser.Row> map = new HashMap<>();
    rows.forEach(r -> map.put(r.jobId(), r));
    return map;
  }

  /**
   * The listed row of {@code job}, or null: a row with its job ID that is not this config's job of
   * that service (another program's, or a job ID another backend's row happens to share) is not it.
   */
  private SqueueParser.Row ownRow(Map<String, SqueueParser.Row> byId, SubmittedJob job) {
    SqueueParser.Row row = byId.get(job.jobId());
    return row != null && isJobOf(row, job) ? row : null;
  }

  private boolean isJobOf(SqueueParser.Row row, SubmittedJob job) {
    return layout().jobs().ours(row) && row.name().strip().equals(job.serviceId());
  }

  private JobStatus live(SqueueParser.Row row) {
    JobState state = SlurmStates.state(row.state());
    String reason = state == JobState.PENDING && SlurmStates.baseState(row.state()).equals("PENDING")
        ? SlurmStates.reasonWords(row.reason())
        : SlurmStates.stateWords(row.state());
    Optional<Instant> started = state == JobState.RUNNING ? time(row.start()) : Optional.empty();
    return new JobStatus(state, reason, Optional.empty(), row.nodes(), started, List.of());
  }

  /** The outcome of a job that ended: squeue's or sacct's state, the job's own files, or nothing. */
  private JobStatus ended(SubmittedJob job, Optional<SqueueParser.Row> queued,
      Optional<SacctParser.Row> accounted) {
    String dir = job.serviceDir();
    Optional<Integer> exitFile = readInt(dir + "/exit_code");
    boolean cancelled = shell.readFile(dir + "/cancelled").length > 0;
    Optional<String> slurmState = queued.map(SqueueParser.Row::state)
        .or(() -> accounted.map(SacctParser.Row::state));
    Optional<Integer> exit = exitFile.or(() -> accounted.flatMap(SacctParser.Row::exitCode));
    List<String> nodes = queued.map(SqueueParser.Row::nodes)
        .or(() -> accounted.map(SacctParser.Row::nodes)).orElse(List.of());
    Optional<Instant> started = queued.map(SqueueParser.Row::start)
        .or(() -> accounted.map(SacctParser.Row::start)).flatMap(this::time);
    if (cancelled) {
      return new JobStatus(JobState.CANCELLED, CANCELLED_WORDS, exit, nodes, started, List.of());
    }
    JobState state;
    String reason;
    String base = slurmState.map(SlurmStates::baseState).orElse("");
    if (!base.isEmpty() && !base.equals("COMPLETED") && !base.equals("FAILED")) {
      // Cancelled elsewhere, timed out, node failure...: SLURM knows more than the exit code.
      state = SlurmStates.state(base);
      reason = SlurmStates.stateWords(base);
    } else if (exit.isPresent()) {
      state = exit.get() == 0 ? JobState.COMPLETED : JobState.FAILED;
      reason = exit.get() == 0 ? "" : "exited with code " + exit.get();
    } else if (slurmState.isPresent()) {
      state = SlurmStates.state(slurmState.get());
      reason = SlurmStates.stateWords(slurmState.get());
    } else {
      state = JobState.UNKNOWN;
      reason = "left the queue without an exit code (killed by SLURM or the node?)";
    }
    List<String> log = state == JobState.FAILED || state == JobState.UNKNOWN
        ? logTail(job, FAILED_LOG_LINES) : List.of();
    return new JobStatus(state, reason, exit, nodes, started, log);
  }

  /** One sacct call for jobs that left the queue; empty when accounting is off. */
  private Map<String, SacctParser.Row> sacct(List<String> jobIds) {
    Map<String, SacctParser.Row> rows = new HashMap<>();
    if (jobIds.isEmpty() || Boolean.FALSE.equals(accounting)) {
      return rows;
    }
    CommandResult r = shell.run(List.of("sacct", "-n", "-P", "-j", String.join(",", jobIds),
        "-o", SacctParser.FIELDS), Shell.SHORT_TIMEOUT);
    if (!r.ok()) {
      // Clusters without slurmdbd answer "Slurm accounting storage is disabled"; the job's own
      // exit_code file is the outcome there. Any other failure is retried on the next poll.
      if ((r.stderr() + r.stdout()).contains("accounting storage is disabled")) {
        accounting = false;
      }
      return rows;
    }
    accounting = true;
    SacctParser.parse(r.stdout()).forEach(row -> rows.put(row.jobId(), row));
    return rows;
  }

  /** All of this user's jobs, finished ones included while SLURM still remembers them. */
  private List<SqueueParser.Row> queue(boolean fresh) {
    Instant now = clock.instant();
    if (!fresh && queue != null && now.isBefore(queueAt.plus(QUEUE_CACHE_FOR)) && !now.isBefore(queueAt)) {
      return queue;
    }
    CommandResult r = squeue();
    queue = SqueueParser.parse(r.stdout());
    // The listing's age counts from when it arrived: over a slow connection the call itself may
    // take longer than the cache lasts.
    queueAt = clock.instant();
    return queue;
  }

  /** One squeue listing, asked again while the controller cannot be reached ({@link SqueueRetry}). */
  private CommandResult squeue() {
    return squeueRetry.run(shell, List.of("squeue", "--me", "--noheader", "--states=all",
        "--format=" + SqueueParser.FORMAT));
  }

  @Override
  public void cancel(SubmittedJob job) {
    // Never a file outside the service's own folder, never a job without an ID of its own.
    if (!JOB_ID.matcher(job.jobId()).matches() || !job.serviceDir().equals(serviceDir(job.serviceId()))) {
      throw new OperationFailedException("refusing to cancel " + job.serviceId() + ": job " + job.jobId()
          + " in " + job.serviceDir() + " is not a job in this config's folder " + serviceDir(job.serviceId()));
    }
    Optional<SqueueParser.Row> listed = queue(true).stream().filter(q -> q.jobId().equals(job.jobId())).findFirst();
    if (listed.isPresent() && !isJobOf(listed.get(), job)) {
      throw new OperationFailedException("refusing to cancel " + job.serviceId() + ": SLURM job " + job.jobId()
          + " is " + listed.get().name().strip() + " in " + listed.get().workDir().strip() + ", not this service's job");
    }
    shell.writeFile(job.serviceDir() + "/cancelled", "cancelled\n".getBytes(StandardCharsets.UTF_8), 0600);
    CommandResult r = shell.run(List.of("scancel", job.jobId()), Shell.SHORT_TIMEOUT);
    if (!r.ok() && !r.stderr().contains("Invalid job id") && !r.stderr().contains("already completing")) {
      throw new OperationFailedException("scancel " + job.jobId() + " failed: " + oneLine(r.stderr()));
    }
    finished.remove(job.jobId());
    long deadline = System.nanoTime() + cancelWait.toNanos();
    while (true) {
      Optional<SqueueParser.Row> row = queue(true).stream()
          .filter(q -> q.jobId().equals(job.jobId())).findFirst();
      if (row.isEmpty() || SlurmStates.state(row.get().state()).isFinal()) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new OperationFailedException("job " + job.jobId() + " of " + job.serviceId()
            + " is still " + row.get().state() + " " + cancelWait.toSeconds() + " s after scancel");
      }
      SqueueRetry.sleep(cancelPollEvery);
    }
  }

  @Override
  public List<SubmittedJob> discover() {
    return discover(false);
  }

  // Discovery rounds run one second apart, as long as the listing cache lasts: answered from the
  // cache, every other round saw the queue of the round before and new jobs waited two rounds.
  @Override
  public List<SubmittedJob> discoverFresh() {
    return discover(true);
  }

  private List<SubmittedJob> discover(boolean fresh) {
    return layout().jobs().running(queue(fresh));
  }

  @Override
  public Optional<SubmittedJob> find(String serviceId) {
    return layout().jobs().find(queue(false), serviceId);
  }

  @Override
  public Optional<Connection> connection(SubmittedJob job) {
    return ConnectionFile.parse(new String(shell.readFile(job.serviceDir() + "/connection"),
        StandardCharsets.UTF_8));
  }

  @Override
  public List<String> logTail(SubmittedJob job, int lines) {
    CommandResult r = shell.run(List.of("tail", "-n", Integer.toString(Math.max(0, lines)), "--",
        job.serviceDir() + "/slurm-" + job.jobId() + ".out"), Shell.SHORT_TIMEOUT);
    if (!r.ok() || r.stdout().isEmpty()) {
      return List.of();
    }
    return List.of(r.stdout().split("\n"));
  }

  private Optional<Integer> readInt(String path) {
    String text = new String(shell.readFile(path), StandardCharsets.UTF_8).trim();
    return text.matches("\\d{1,9}") ? Optional.of(Integer.parseInt(text)) : Optional.empty();
  }

  /** A time as SLURM prints it (local time of the cluster, taken as the clock's zone). */
  private Optional<Instant> time(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text.strip()).atZone(clock.getZone()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  static String oneLine(String text) {
    return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.joining("; "));
  }
}
