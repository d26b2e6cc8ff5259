package io.github.hpcorchestrator.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.github.hpcorchestrator.recipe.SimulatorSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One streamed answer, written by the shared scheduler: token i goes out at the absolute
 * monotonic deadline {@code read + ttft + i * tpot}, so a late write delays no later token, and no
 * thread waits on the stream in between.
 */
final class TokenStream implements Runnable {
  private final HttpExchange exchange;
  private final Wire wire;
  private final ScheduledExecutorService scheduler;
  private final long readNanos;
  private final long ttftNanos;
  private final long tpotNanos;
  private final int promptTokens;
  private final int tokens;
  private final String finishReason;
  /** The token count after which the stream is cut off; {@code tokens + 1} when it is not. */
  private final int cutAfter;
  // Only the scheduler's current run touches these; each run is scheduled by the one before.
  private int next;
  private long firstNanos;

  TokenStream(HttpExchange exchange, Wire wire, ScheduledExecutorService scheduler, SimulatorSpec spec,
      GenerationRequest request, long readNanos, boolean cut) {
    this.exchange = exchange;
    this.wire = wire;
    this.scheduler = scheduler;
    this.readNanos = readNanos;
    this.ttftNanos = spec.ttft().toNanos();
    this.tpotNanos = spec.tpot().toNanos();
    this.promptTokens = request.promptTokens();
    this.tokens = request.answerTokens(spec.outputTokens());
    this.finishReason = tokens < spec.outputTokens() ? "length" : "stop";
    this.cutAfter = cut ? Math.max(1, tokens / 2) : tokens + 1;
  }

  /** Schedules the first token; the response headers have been sent. */
  void start() {
    scheduleAt(deadline(0));
  }

  @Override
  public void run() {
    OutputStream out = exchange.getResponseBody();
    try {
      // Writes every token that is due: after a stall they go out together, on time again after.
      do {
        if (next == 0) {
          firstNanos = System.nanoTime();
        }
        out.write(wire.token(next, OutputText.token(next)));
        next++;
        if (next == cutAfter) {
          out.flush();
          exchange.close();
          return;
        }
        if (next == tokens) {
          out.write(wire.end(new Totals(promptTokens, tokens, finishReason, readNanos, firstNanos,
              System.nanoTime())));
          out.flush();
          exchange.close();
          return;
        }
      } while (deadline(next) - System.nanoTime() <= 0);
      out.flush();
      scheduleAt(deadline(next));
    } catch (IOException clientGone) {
      exchange.close();
    }
  }

  private long deadline(int token) {
    return readNanos + ttftNanos + token * tpotNanos;
  }

  private void scheduleAt(long deadline) {
    try {
      scheduler.schedule(this, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      exchange.close();
    }
  }
}
