package io.github.hpcorchestrator.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A scheduler in memory for unit tests of the modules above it: it records every call in order,
 * runs what it accepted (RUNNING unless told otherwise), and fails a submit when told to. One
 * shared class: tests that need a scheduler configure this one rather than writing their own.
 */
public final class FakeScheduler implements Scheduler {
  private final String name;
  /** Every call, in order: "render ID", "submit ID", "poll ID,ID", "cancel ID", "find ID", "discover", "logTail ID". */
  public final List<String> calls = new ArrayList<>();
  /** The specs submitted, in order. */
  public final List<JobSpec> submitted = new ArrayList<>();
  /** Every job asked about in a poll, in order. */
  public final List<SubmittedJob> polled = new ArrayList<>();
  /** The IDs {@link #find} was asked for. */
  public final List<String> found = new ArrayList<>();
  /** The jobs cancelled, in order. */
  public final List<SubmittedJob> cancelled = new ArrayList<>();
  /** What {@link #find} answers per service ID (a job whose submit was cut off). */
  public final Map<String, SubmittedJob> findable = new LinkedHashMap<>();
  /** Jobs the backend runs that local state may not know (what {@link #discover} lists). */
  public final List<SubmittedJob> discoverable = new ArrayList<>();
  /** What a poll answers per service ID; a job not listed is RUNNING if known here, else vanished. */
  public final Map<String, JobStatus> states = new HashMap<>();
  /** Connection files per service ID. */
  public final Map<String, Connection> connections = new HashMap<>();
  private final Map<String, SubmittedJob> accepted = new LinkedHashMap<>();
  private RuntimeException submitFailure;
  private Consumer<JobSpec> beforeSubmit = spec -> { };
  private int nextJobId = 100;

  /** @param name the backend name it answers, "local" or "slurm" */
  public FakeScheduler(String name) {
    this.name = name;
  }

  /** Makes every later submit throw {@code failure} (null: accept again). */
  public void failSubmitsWith(RuntimeException failure) {
    this.submitFailure = failure;
  }

  /** Runs {@code check} on each spec at submit, before it is accepted (to see what was recorded by then). */
  public void beforeSubmit(Consumer<JobSpec> check) {
    this.beforeSubmit = check;
  }

  /** The submits of {@code serviceName}'s services, in order. */
  public List<JobSpec> submitsOf(String serviceName) {
    return submitted.stream().filter(s -> s.serviceId().startsWith(serviceName + "_")).toList();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String rootDir() {
    return "/srv/" + name + "/services";
  }

  @Override
  public String folderOf(String serviceId) {
    return rootDir() + "/" + serviceId;
  }

  @Override
  public Optional<SubmittedJob> find(String serviceId) {
    calls.add("find " + serviceId);
    found.add(serviceId);
    return Optional.ofNullable(findable.get(serviceId));
  }

  @Override
  public String renderScript(JobSpec spec) {
    calls.add("render " + spec.serviceId());
    return "#!/bin/bash\n# " + spec.serviceId() + "\n";
  }

  @Override
  public SubmittedJob submit(JobSpec spec) {
    calls.add("submit " + spec.serviceId());
    beforeSubmit.accept(spec);
    if (submitFailure != null) {
      throw submitFailure;
    }
    submitted.add(spec);
    SubmittedJob job = new SubmittedJob(spec.serviceId(), String.valueOf(nextJobId++), folderOf(spec.serviceId()));
    accepted.put(spec.serviceId(), job);
    return job;
  }

  @Override
  public Map<String, JobStatus> poll(Collection<SubmittedJob> jobs) {
    calls.add("poll " + String.join(",", jobs.stream().map(SubmittedJob::serviceId).toList()));
    polled.addAll(jobs);
    Map<String, JobStatus> out = new LinkedHashMap<>();
    for (SubmittedJob j : jobs) {
      boolean known = accepted.containsKey(j.serviceId()) || findable.containsKey(j.serviceId())
          || discoverable.stream().anyMatch(d -> d.serviceId().equals(j.serviceId()));
      out.put(j.serviceId(), states.getOrDefault(j.serviceId(), known
          ? JobStatus.of(JobState.RUNNING, "") : JobStatus.of(JobState.FAILED, "process group vanished")));
    }
    return out;
  }

  @Override
  public void cancel(SubmittedJob job) {
    calls.add("cancel " + job.serviceId());
    cancelled.add(job);
    states.put(job.serviceId(), JobStatus.of(JobState.CANCELLED, ""));
  }

  @Override
  public List<SubmittedJob> discover() {
    calls.add("discover");
    List<SubmittedJob> all = new ArrayList<>(discoverable);
    all.addAll(accepted.values());
    return all;
  }

  @Override
  public Optional<Connection> connection(SubmittedJob job) {
    return Optional.ofNullable(connections.get(job.serviceId()));
  }

  @Override
  public List<String> logTail(SubmittedJob job, int lines) {
    calls.add("logTail " + job.serviceId());
    return List.of("last line of " + job.serviceId());
  }
}
