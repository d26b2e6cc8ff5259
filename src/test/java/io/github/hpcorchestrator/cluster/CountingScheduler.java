package io.github.hpcorchestrator.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real scheduler wrapped to count the calls that ask the backend (poll, discover, logTail): a
 * path that must not reach the scheduler asserts zero. A test may answer polls itself, for a job
 * state the wrapped backend cannot produce on demand (a monitor that runs).
 */
public final class CountingScheduler implements Scheduler {
  public final AtomicInteger polls = new AtomicInteger();
  public final AtomicInteger discovers = new AtomicInteger();
  public final AtomicInteger logTails = new AtomicInteger();
  private final Scheduler inner;
  private volatile Function<Collection<SubmittedJob>, Map<String, JobStatus>> pollAnswer;

  public CountingScheduler(Scheduler inner) {
    this.inner = inner;
  }

  /** Answers every later poll with {@code answer} instead of the wrapped scheduler's. */
  public CountingScheduler answerPolls(Function<Collection<SubmittedJob>, Map<String, JobStatus>> answer) {
    this.pollAnswer = answer;
    return this;
  }

  /** How many calls asked the backend about jobs (poll and discover). */
  public int schedulerCalls() {
    return polls.get() + discovers.get();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public String rootDir() {
    return inner.rootDir();
  }

  @Override
  public String folderOf(String serviceId) {
    return inner.folderOf(serviceId);
  }

  @Override
  public Optional<SubmittedJob> find(String serviceId) {
    discovers.incrementAndGet();
    return inner.find(serviceId);
  }

  @Override
  public String renderScript(JobSpec spec) {
    return inner.renderScript(spec);
  }

  @Override
  public SubmittedJob submit(JobSpec spec) {
    return inner.submit(spec);
  }

  @Override
  public Map<String, JobStatus> poll(Collection<SubmittedJob> jobs) {
    polls.incrementAndGet();
    Function<Collection<SubmittedJob>, Map<String, JobStatus>> answer = pollAnswer;
    return answer == null ? inner.poll(jobs) : answer.apply(jobs);
  }

  @Override
  public void cancel(SubmittedJob job) {
    inner.cancel(job);
  }

  @Override
  public List<SubmittedJob> discover() {
    discovers.incrementAndGet();
    return inner.discover();
  }

  @Override
  public List<SubmittedJob> discoverFresh() {
    discovers.incrementAndGet();
    return inner.discoverFresh();
  }

  @Override
  public Optional<Connection> connection(SubmittedJob job) {
    return inner.connection(job);
  }

  @Override
  public List<String> logTail(SubmittedJob job, int lines) {
    logTails.incrementAndGet();
    return inner.logTail(job, lines);
  }
}
