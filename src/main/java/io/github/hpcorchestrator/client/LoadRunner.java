package io.github.hpcorchestrator.client;

import java.net.http.HttpClient;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a plan's load: closed loop (a request sent as soon as one of N ends) or open loop (send times
 * planned from the rate and the seed alone, so a slow server shows up as queue delay, not as fewer sends).
 */
final class LoadRunner {
  // How long before a planned send the sender stops parking and spins, since a park can overshoot.
  private static final long SPIN_NANOS = 200_000;

  private final ClientPlan.Load load;
  private final String type;
  private final RequestFactory factory;
  private final HttpClient client;
  private final PromptSource prompts;
  private final Recorder recorder;
  private final ScheduledExecutorService deadlines;
  private final long timeoutNanos;
  private final Semaphore permits;
  private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
  private final Object drained = new Object();
  private volatile boolean stopped;
  private volatile Thread sender;
  private int peakInFlight;

  LoadRunner(ClientPlan plan, RequestFactory factory, HttpClient client, PromptSource prompts, Recorder recorder,
      ScheduledExecutorService deadlines) {
    this.load = plan.load();
    this.type = plan.workload().type();
    this.factory = factory;
    this.client = client;
    this.prompts = prompts;
    this.recorder = recorder;
    this.deadlines = deadlines;
    this.timeoutNanos = (long) (plan.workload().timeoutSeconds() * 1e9);
    this.permits = new Semaphore(load.concurrency().or(load::maxInFlight).orElse(Integer.MAX_VALUE));
  }

  /** Requests the run will send, -1 where that is not known in advance. */
  static long planned(ClientPlan.Load load) {
    if (load.requests().isPresent()) {
      return load.requests().get();
    }
    return load.rate().map(r -> (long) Math.ceil(r * load.durationSeconds().get())).orElse(-1L);
  }

  private long now() {
    return System.nanoTime() - recorder.startNanos();
  }

  /** Sends the whole load and waits for every request to end; returns early after {@link #stop}. */
  void run(long stopGraceNanos) {
    sender = Thread.currentThread();
    Random arrivals = new Random(load.seed());
    boolean open = load.rate().isPresent();
    double gap = open ? 1e9 / load.rate().get() : 0;
    boolean poisson = open && load.arrivals().orElse("poisson").equals("poisson");
    long durationNanos = load.durationSeconds().map(d -> (long) (d * 1e9)).orElse(Long.MAX_VALUE);
    long warmupNanos = load.warmupSeconds().map(w -> (long) (w * 1e9)).orElse(0L);
    long warmupRequests = load.warmupRequests().orElse(0);
    long limit = load.requests().map(Integer::longValue).orElse(Long.MAX_VALUE);
    double next = 0;
    for (long i = 0; i < limit && !stopped; i++) {
      long planned = -1;
      if (open) {
        planned = (long) next;
        next += poisson ? -Math.log(1 - arrivals.nextDouble()) * gap : gap;
        if (planned >= durationNanos || !waitUntil(planned)) {
          break;
        }
      } else if (now() >= durationNanos) {
        break;
      }
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        break;
      }
      if (stopped) {
        permits.release();
        break;
      }
      long send = now();
      long startMark = open ? planned : send;
      boolean measured = i >= warmupRequests && startMark >= warmupNanos;
      send(i, measured, planned, send);
    }
    awaitDrained(stopGraceNanos);
  }

  private void send(long index, boolean measured, long planned, long send) {
    Exchange[] self = new Exchange[1];
    Exchange x = new Exchange(index, measured, planned, send, type, this::now, r -> ended(self[0], r));
    self[0] = x;
    synchronized (drained) {
      inFlight.add(x);
      peakInFlight = Math.max(peakInFlight, inFlight.size());
    }
    x.attach(client.sendAsync(factory.request(prompts.get(index)), x));
    deadlines.schedule(() -> x.abort("timeout"), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void ended(Exchange x, RequestRecord r) {
    recorder.add(r);
    synchronized (drained) {
      inFlight.remove(x);
      drained.notifyAll();
    }
    permits.release();
  }

  private boolean waitUntil(long planned) {
    while (!stopped) {
      long left = planned - now();
      if (left <= 0) {
        return true;
      }
      if (left > SPIN_NANOS) {
        LockSupport.parkNanos(left - SPIN_NANOS);
      } else {
        Thread.onSpinWait();
      }
    }
    return false;
  }

  private void awaitDrained(long stopGraceNanos) {
    long cutAt = Long.MAX_VALUE;
    synchronized (drained) {
      while (!inFlight.isEmpty()) {
        if (stopped && cutAt == Long.MAX_VALUE) {
          cutAt = System.nanoTime() + stopGraceNanos;
        }
        long left = cutAt == Long.MAX_VALUE ? 100_000_000L : cutAt - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, 100_000_000L));
        } catch (InterruptedException e) {
          // a stop interrupts the sender; the loop now counts down the grace period
        }
      }
    }
    for (Exchange x : Set.copyOf(inFlight)) {
      x.abort("stopped"); // still running past the grace period after a stop: cut, and counted as such
    }
  }

  /** Stops sending; in-flight requests get the grace period given to {@link #run}, then are cut. */
  void stop() {
    stopped = true;
    Thread t = sender;
    if (t != null) {
      t.interrupt();
    }
  }

  boolean stopped() {
    return stopped;
  }

  /** The most requests that were in flight at once. */
  int peakInFlight() {
    synchronized (drained) {
      return peakInFlight;
    }
  }
}
