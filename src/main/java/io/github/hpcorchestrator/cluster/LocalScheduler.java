package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.files.AtomicFiles;
import io.github.hpcorchestrator.transport.Shell;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs each service as a detached process group on this machine, in its own folder under
 * {@code servicesRoot}. The job ID is the process group ID.
 */
public final class LocalScheduler implements Scheduler {
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*_[0-9a-f]{8}");
  private static final String LOG = "service.log";
  /**
   * $1: the log; the rest: the job's argv, started in the background; prints its process ID. The
   * subshell gives back SIGINT and SIGQUIT, which a shell ignores for a background command.
   */
  private static final String LAUNCH =
      "log=$1; shift; ( trap - INT QUIT; exec \"$@\" ) </dev/null >>\"$log\" 2>&1 & echo $!";

  private final Path servicesRoot;
  private final Shell shell;
  private final PortPicker picker;
  private final LocalPorts ports;
  private final Duration stopGrace;
  private final LocalJobScript scripts;
  private final ProcessTable processes = new ProcessTable();
  private final LocalJobOwnership ownership = new LocalJobOwnership(processes);

  /**
   * @param servicesRoot folder that holds one folder per service
   * @param shell runs kill; must be a local shell
   * @param stopGrace how long a stopped service may take to exit after SIGTERM before SIGKILL
   */
  public LocalScheduler(Path servicesRoot, Shell shell, Duration stopGrace) {
    this.servicesRoot = servicesRoot.toAbsolutePath();
    this.shell = shell;
    this.picker = new PortPicker(InetAddress.getLoopbackAddress());
    this.ports = new LocalPorts(this.servicesRoot);
    this.scripts = new LocalJobScript(this.servicesRoot);
    this.stopGrace = stopGrace;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public String renderScript(JobSpec spec) {
    return scripts.render(spec, serviceDir(spec.serviceId()), spec.requestedPort());
  }

  @Override
  public SubmittedJob submit(JobSpec spec) {
    Path dir = serviceDir(spec.serviceId());
    try {
      // The folders and every file in them (the service's own included) are the user's alone,
      // like the state folder they live in.
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(servicesRoot, AtomicFiles.permissions(0700));
      Files.setPosixFilePermissions(dir, AtomicFiles.permissions(0700));
      // Picked, recorded and started under one lock: a second start never gets a port that the
      // first has been handed but not bound yet.
      return ports.locked(() -> start(spec, dir));
    } catch (IOException e) {
      // Every step up to and including the process start ran here: nothing runs when one failed.
      throw new SubmitRefusedException("cannot start " + spec.serviceId() + ": " + e.getMessage(), e);
    } catch (SubmitRefusedException e) {
      throw e;
    } catch (OperationFailedException e) {
      throw new SubmitRefusedException(e.getMessage(), e); // no free port, a held lock, an unwritable file
    }
  }

  private SubmittedJob start(JobSpec spec, Path dir) throws IOException {
    // One pass over /proc for every folder's job, as in poll.
    java.util.Set<Long> live = processes.liveGroups();
    java.util.Set<Integer> taken = ports.taken(dir, d -> jobLive(d, live));
    int port = spec.hasPort() ? picker.pick(spec.requestedPort(), taken) : 0;
    taken.add(port);
    List<Integer> sidecarPorts = new ArrayList<>();
    for (Sidecar sidecar : spec.sidecars()) {
      int own = sidecar.needsPort() ? picker.pick(0, taken) : -1;
      taken.add(own);
      sidecarPorts.add(own);
    }
    List<Integer> handedOut = new ArrayList<>(List.of(port));
    handedOut.addAll(sidecarPorts);
    LocalPorts.record(dir, handedOut);
    for (Map.Entry<String, String> file : spec.files().entrySet()) {
      AtomicFiles.write(dir.resolve(file.getKey()),
          LocalJobScript.substitute(file.getValue(), dir, port).getBytes(StandardCharsets.UTF_8), 0600);
    }
    Path script = dir.resolve("job.sh");
    AtomicFiles.write(script, scripts.render(spec, dir, port, sidecarPorts).getBytes(StandardCharsets.UTF_8), 0700);
    Path log = dir.resolve(LOG);
    if (!Files.exists(log)) {
      Files.createFile(log, PosixFilePermissions.asFileAttribute(AtomicFiles.permissions(0600)));
    }
    // setsid makes the script the leader of a new session and process group: the service
    // survives this JVM and the terminal, and a stop reaches every process it started. umask 077
    // keeps what the script and the service write (connection, exit_code, data) private; exec
    // keeps the process ID, which is the job ID.
    // Started in the background of a short-lived bash, which prints its process ID and ends: as this
    // JVM's own child, a job still running made the JVM wait ~300 ms at exit for the thread that
    // waits on it. setsid keeps the ID: a background child of a non-interactive shell leads no group.
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", LAUNCH, "bash", log.toString(), "setsid", "bash", "-c",
        "umask 077 && exec bash \"$0\"", script.toString())
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true);
    Process launcher = builder.start();
    String pid;
    try (var out = launcher.getInputStream()) {
      pid = new String(out.readNBytes(64), StandardCharsets.UTF_8).strip();
      launcher.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while starting " + spec.serviceId(), e);
    }
    if (!pid.matches("\\d{1,10}")) {
      throw new OperationFailedException("could not start " + spec.serviceId() + ": " + pid);
    }
    return new SubmittedJob(spec.serviceId(), pid, dir.toString());
  }

  @Override
  public Map<String, JobStatus> poll(Collection<SubmittedJob> jobs) {
    Map<String, JobStatus> result = new LinkedHashMap<>();
    // One pass over /proc for all jobs, like one squeue for all jobs on SLURM.
    java.util.Set<Long> live = processes.liveGroups();
    for (SubmittedJob job : jobs) {
      result.put(job.serviceId(), status(job, live));
    }
    return result;
  }

  private JobStatus status(SubmittedJob job, java.util.Set<Long> live) {
    Path dir = Path.of(job.serviceDir());
    // Liveness first, exit code second: a job that writes its exit code and ends between the two
    // reads must not look like one that vanished without an outcome.
    // A job missing from the snapshot may have run setsid just after it was taken: look again,
    // for that job alone, before calling it gone.
    boolean member = (job.jobId().matches("\\d{1,10}") && live.contains(Long.parseLong(job.jobId())))
        || groupAlive(job.jobId());
    // A group whose leader is another program got the job's ID after the job was gone.
    boolean reused = member && !ours(job.jobId(), dir);
    boolean alive = starting(job.jobId(), dir) || (member && !reused);
    Optional<Integer> exit = readInt(dir.resolve("exit_code"));
    boolean cancelled = Files.exists(dir.resolve("cancelled"));
    List<String> node = List.of(hostname());
    Optional<Instant> started = modified(dir.resolve("job.pid"));
    if (exit.isPresent()) {
      if (cancelled) {
        return new JobStatus(JobState.CANCELLED, "stopped by the orchestrator", exit, node, started, List.of());
      }
      if (exit.get() == 0) {
        return new JobStatus(JobState.COMPLETED, "", exit, node, started, List.of());
      }
      return new JobStatus(JobState.FAILED, "exited with code " + exit.get(), exit, node, started,
          logTail(job, 10));
    }
    if (alive) {
      if (started.isEmpty()) {
        return new JobStatus(JobState.PENDING, "starting", Optional.empty(), node, started, List.of());
      }
      return new JobStatus(JobState.RUNNING, "", Optional.empty(), node, started, List.of());
    }
    if (cancelled) {
      return new JobStatus(JobState.CANCELLED, "stopped by the orchestrator", Optional.empty(), node,
          started, List.of());
    }
    return new JobStatus(JobState.FAILED, reused
        ? "process gone without an exit code (killed?); its process group ID " + job.jobId() + " now belongs to another program"
        : "process group vanished without an exit code (killed?)", Optional.empty(), node, started, logTail(job, 10));
  }

  @Override
  public void cancel(SubmittedJob job) {
    Path dir = ownFolder(job);
    AtomicFiles.write(dir.resolve("cancelled"), new byte[0], 0600);
    // Only the group the orchestrator started is signalled: a reused group ID is another program's.
    if (!groupAlive(job.jobId()) || !ours(job.jobId(), dir)) {
      return;
    }
    signal(job.jobId(), "TERM");
    if (waitUntil(() -> !groupAlive(job.jobId()), stopGrace)) {
      return;
    }
    if (!ours(job.jobId(), dir)) {
      return; // it ended during the grace and its ID went to another program
    }
    signal(job.jobId(), "KILL");
    if (!waitUntil(() -> !groupAlive(job.jobId()), Duration.ofSeconds(10))) {
      throw new OperationFailedException("process group " + job.jobId() + " of " + job.serviceId()
          + " is still alive after SIGKILL");
    }
    if (readInt(dir.resolve("exit_code")).isEmpty()) {
      // SIGKILL left no chance to record an outcome; record it for the status.
      AtomicFiles.write(dir.resolve("exit_code"), "137\n".getBytes(StandardCharsets.UTF_8), 0600);
    }
  }

  /** The job's folder, which must be a service folder under this scheduler's root. */
  private Path ownFolder(SubmittedJob job) {
    Path dir = Path.of(job.serviceDir());
    if (job.serviceDir().isEmpty() || !job.jobId().matches("\\d{1,10}")
        || !dir.toAbsolutePath().normalize().equals(serviceDir(job.serviceId()).normalize())) {
      throw new OperationFailedException("refusing to stop " + job.serviceId() + ": job " + job.jobId()
          + " in " + job.serviceDir() + " is not a job in this config's folder " + serviceDir(job.serviceId()));
    }
    return dir;
  }

  private boolean ours(String pgid, Path dir) {
    return pgid.matches("\\d{1,10}") && ownership.ours(Long.parseLong(pgid), dir);
  }

  /** Whether the job of a service folder that has a job.pid still runs as the group it started. */
  private boolean jobLive(Path dir, java.util.Set<Long> live) {
    Optional<Integer> pid = readInt(dir.resolve("job.pid"));
    return pid.isPresent() && live.contains(pid.get().longValue()) && ours(pid.get().toString(), dir);
  }

  private void signal(String pgid, String signal) {
    shell.run(List.of("kill", "-" + signal, "--", "-" + pgid), Shell.SHORT_TIMEOUT);
  }

  /**
   * Whether the job's first process runs but has not yet made itself a group leader: until
   * setsid has run (the script writes job.pid right after), no process is in group {@code pid}.
   */
  private static boolean starting(String pid, Path dir) {
    return pid.matches("\\d{1,10}") && !Files.exists(dir.resolve("job.pid"))
        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Whether any process of the group still exists (zombies of the group leader do not count). */
  private boolean groupAlive(String pgid) {
    return pgid.matches("\\d{1,10}") && processes.groupAlive(Long.parseLong(pgid));
  }

  private static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return condition.getAsBoolean();
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public List<SubmittedJob> discover() {
    if (!Files.isDirectory(servicesRoot)) {
      return List.of();
    }
    List<SubmittedJob> found = new ArrayList<>();
    java.util.Set<Long> live = processes.liveGroups();
    try (Stream<Path> dirs = Files.list(servicesRoot)) {
      for (Path dir : dirs.sorted().toList()) {
        String id = dir.getFileName().toString();
        Optional<Integer> pid = readInt(dir.resolve("job.pid"));
        // Like squeue, discovery lists only jobs that still run.
        if (SERVICE_ID.matcher(id).matches() && pid.isPresent() && live.contains(pid.get().longValue())
            && ours(pid.get().toString(), dir)) {
          found.add(new SubmittedJob(id, pid.get().toString(), dir.toString()));
        }
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + servicesRoot + ": " + e.getMessage(), e);
    }
    return found;
  }

  @Override
  public Optional<Connection> connection(SubmittedJob job) {
    return ConnectionFile.parse(read(Path.of(job.serviceDir()).resolve("connection")));
  }

  @Override
  public List<String> logTail(SubmittedJob job, int lines) {
    String text = read(Path.of(job.serviceDir()).resolve(LOG));
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> all = List.of(text.split("\n"));
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  @Override
  public String rootDir() {
    return servicesRoot.toString();
  }

  @Override
  public String folderOf(String serviceId) {
    return serviceDir(serviceId).toString();
  }

  /** The folder that holds a service's files. */
  public Path serviceDir(String serviceId) {
    return servicesRoot.resolve(serviceId);
  }

  // The job ID is in the folder from the script's first lines: a start whose caller died before
  // recording it is found there, running or ended.
  @Override
  public Optional<SubmittedJob> find(String serviceId) {
    Path dir = serviceDir(serviceId);
    return readInt(dir.resolve("job.pid")).map(pid -> new SubmittedJob(serviceId, pid.toString(), dir.toString()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<Integer> readInt(Path file) {
    String text = read(file).trim();
    return text.matches("\\d{1,9}") ? Optional.of(Integer.parseInt(text)) : Optional.empty();
  }

  private static Optional<Instant> modified(Path file) {
    try {
      return Optional.of(Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
