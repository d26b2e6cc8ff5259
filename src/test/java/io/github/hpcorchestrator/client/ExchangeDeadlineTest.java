package io.github.hpcorchestrator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A request's deadline timer leaves the timer queue when the request ends, whichever comes first. */
class ExchangeDeadlineTest {
  @Test
  void endingCancelsTheDeadlineSetBefore() {
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    timers.setRemoveOnCancelPolicy(true);
    try {
      List<RequestRecord> ended = new ArrayList<>();
      Exchange x = new Exchange(0, true, -1, 0, "http", System::nanoTime, ended::add);
      x.deadline(timers.schedule(() -> x.abort("timeout"), 1, TimeUnit.HOURS));
      assertEquals(1, timers.getQueue().size());
      x.abort("stopped");
      assertEquals(0, timers.getQueue().size());
      assertEquals(1, ended.size());
      assertEquals("stopped", ended.get(0).error());
    } finally {
      timers.shutdownNow();
    }
  }

  @Test
  void aDeadlineSetAfterTheEndIsCancelledAtOnce() {
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    timers.setRemoveOnCancelPolicy(true);
    try {
      Exchange x = new Exchange(0, true, -1, 0, "http", System::nanoTime, r -> { });
      x.abort("stopped");
      ScheduledFuture<?> f = timers.schedule(() -> x.abort("timeout"), 1, TimeUnit.HOURS);
      x.deadline(f);
      assertTrue(f.isCancelled());
      assertEquals(0, timers.getQueue().size());
    } finally {
      timers.shutdownNow();
    }
  }
}
