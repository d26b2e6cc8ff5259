package io.github.hpcorchestrator.client;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Accumulates one stage's requests into HdrHistograms (nanoseconds, 3 significant digits); not thread-safe. */
final class StageStats {
  // Longest latency a histogram holds: one hour; longer values are clamped to it.
  private static final long MAX_NANOS = 3_600_000_000_000L;

  private final String name;
  private final boolean openLoop;
  private final Histogram ttft = histogram();
  private final Histogram tpot = histogram();
  private final Histogram itl = histogram();
  private final Histogram e2e = histogram();
  private final Histogram queueDelay = histogram();
  private final Histogram ttftFromPlanned = histogram();
  private final Histogram e2eFromPlanned = histogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private long requests;
  private long ok;
  private long withTokens;
  private long inputTokens;
  private long outputTokens;
  private long firstSend = Long.MAX_VALUE;
  private long lastEnd = Long.MIN_VALUE;

  StageStats(String name, boolean openLoop) {
    this.name = name;
    this.openLoop = openLoop;
  }

  private static Histogram histogram() {
    return new Histogram(MAX_NANOS, 3);
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(0, Math.min(MAX_NANOS, nanos)));
  }

  void add(RequestRecord r) {
    requests++;
    firstSend = Math.min(firstSend, r.send());
    lastEnd = Math.max(lastEnd, r.end());
    if (r.planned() >= 0) {
      record(queueDelay, r.send() - r.planned());
    }
    if (r.error() != null) {
      errors.merge(r.error(), 1L, Long::sum);
      return;
    }
    ok++;
    if (r.firstContent() >= 0) {
      record(ttft, r.firstContent() - r.send());
      if (r.planned() >= 0) {
        record(ttftFromPlanned, r.firstContent() - r.planned());
      }
    }
    record(e2e, r.end() - r.send());
    if (r.planned() >= 0) {
      record(e2eFromPlanned, r.end() - r.planned());
    }
    for (long gap : r.itls()) {
      record(itl, gap);
    }
    if (r.outputTokens() >= 0) {
      withTokens++;
      outputTokens += r.outputTokens();
      inputTokens += Math.max(0, r.inputTokens());
      if (r.outputTokens() > 1 && r.firstContent() >= 0) {
        record(tpot, (r.end() - r.firstContent()) / (r.outputTokens() - 1));
      }
    }
  }

  long requests() {
    return requests;
  }

  long errorCount() {
    return requests - ok;
  }

  /** Median TTFT so far in seconds, -1 before the first. */
  double p50Ttft() {
    return ttft.getTotalCount() == 0 ? -1 : ttft.getValueAtPercentile(50) / 1e9;
  }

  ClientSummary.Stage summary() {
    double window = lastEnd > firstSend ? (lastEnd - firstSend) / 1e9 : 0;
    String source = withTokens == 0 ? "none" : withTokens == ok ? "server" : "mixed";
    return new ClientSummary.Stage(name, requests, Map.copyOf(errors), latency(ttft), latency(tpot),
        latency(itl), latency(e2e), openLoop ? Optional.of(latency(queueDelay)) : Optional.empty(),
        openLoop ? Optional.of(latency(ttftFromPlanned)) : Optional.empty(),
        openLoop ? Optional.of(latency(e2eFromPlanned)) : Optional.empty(),
        rate(ok, window), rate(outputTokens, window), rate(inputTokens + outputTokens, window), window,
        inputTokens, outputTokens, source);
  }

  private static double rate(long count, double window) {
    return window > 0 ? count / window : 0;
  }

  private static ClientSummary.Latency latency(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new ClientSummary.Latency(0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new ClientSummary.Latency(h.getTotalCount(), h.getMean() / 1e9, at(h, 50), at(h, 90), at(h, 95),
        at(h, 99), at(h, 99.9), h.getMaxValue() / 1e9);
  }

  private static double at(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e9;
  }
}
