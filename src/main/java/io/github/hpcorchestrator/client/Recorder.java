package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes each ended request: appends its line to {@code requests.jsonl}, adds it to its stage, and
 * writes {@code progress.json} and the summary files; thread-safe.
 */
final class Recorder implements AutoCloseable {
  // Per-request lines keep at most this many ITLs, so one line stays bounded.
  static final int MAX_LINE_ITLS = 256;
  private static final double RATE_WINDOW_SECONDS = 5;
  private static final JsonFactory JSON = new JsonFactory();

  private final Path out;
  private final String clientId;
  private final long planned;
  private volatile double startedAt;
  private volatile long startNanos;
  private final BufferedWriter lines;
  private final StageStats measured;
  private final StageStats warmup;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long done;
  private long errors;

  Recorder(Path out, String clientId, long planned, boolean openLoop, double startedAt, long startNanos) {
    this.out = out;
    this.clientId = clientId;
    this.planned = planned;
    this.startedAt = startedAt;
    this.startNanos = startNanos;
    this.measured = new StageStats("measured", openLoop);
    this.warmup = new StageStats("warmup", openLoop);
    try {
      Files.createDirectories(out);
      lines = Files.newBufferedWriter(out.resolve("requests.jsonl"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records one ended request. */
  synchronized void add(RequestRecord r) {
    done++;
    if (r.error() != null) {
      errors++;
    }
    (r.measured() ? measured : warmup).add(r);
    try {
      lines.write(line(r));
      lines.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(RequestRecord r) throws IOException {
    StringWriter s = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(s)) {
      g.writeStartObject();
      g.writeNumberField("index", r.index());
      g.writeStringField("stage", r.measured() ? "measured" : "warmup");
      if (r.planned() >= 0) {
        g.writeNumberField("planned", r.planned() / 1e9);
      }
      g.writeNumberField("send", r.send() / 1e9);
      if (r.firstContent() >= 0) {
        g.writeNumberField("first_chunk", r.firstContent() / 1e9);
      }
      g.writeNumberField("end", r.end() / 1e9);
      g.writeNumberField("status", r.status());
      if (r.error() != null) {
        g.writeStringField("error", r.error());
      }
      if (r.inputTokens() >= 0) {
        g.writeNumberField("input_tokens", r.inputTokens());
      }
      if (r.outputTokens() >= 0) {
        g.writeNumberField("output_tokens", r.outputTokens());
      }
      g.writeStringField("token_source", r.tokenSource());
      g.writeNumberField("chunks", r.chunks());
      g.writeArrayFieldStart("itl");
      for (int i = 0; i < Math.min(MAX_LINE_ITLS, r.itls().length); i++) {
        g.writeNumber(r.itls()[i] / 1e9);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return s.toString();
  }

  synchronized long errors() {
    return errors;
  }

  synchronized long measuredRequests() {
    return measured.requests();
  }

  synchronized long measuredErrors() {
    return measured.errorCount();
  }

  /** Rewrites progress.json atomically in {@code state}, flushing the request lines first. */
  synchronized void writeProgress(String state, long nowNanos) {
    samples.addLast(new long[] {nowNanos, done});
    while (samples.size() > 2 && (nowNanos - samples.peekFirst()[0]) / 1e9 > RATE_WINDOW_SECONDS) {
      samples.removeFirst();
    }
    long[] first = samples.peekFirst();
    double span = (nowNanos - first[0]) / 1e9;
    double rate = span > 0 ? (done - first[1]) / span : 0;
    double p50 = measured.requests() > 0 ? measured.p50Ttft() : warmup.p50Ttft();
    try {
      lines.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ClientProgress p = new ClientProgress(state, planned, done, errors, rate, p50, startedAt);
    AtomicFiles.write(out.resolve("progress.json"), p.toJson().getBytes(StandardCharsets.UTF_8), 0644);
  }

  /** Writes summary.json and summary.csv of what was recorded so far. */
  synchronized ClientSummary writeSummary(boolean partial) {
    List<ClientSummary.Stage> stages = new ArrayList<>();
    stages.add(measured.summary());
    if (warmup.requests() > 0) {
      stages.add(warmup.summary());
    }
    ClientSummary s = new ClientSummary(clientId, partial, startedAt, stages);
    AtomicFiles.write(out.resolve("summary.json"), s.toJson().getBytes(StandardCharsets.UTF_8), 0644);
    AtomicFiles.write(out.resolve("summary.csv"), s.toCsv().getBytes(StandardCharsets.UTF_8), 0644);
    return s;
  }

  long startNanos() {
    return startNanos;
  }

  /** Sets the run's start to now: called right before the first send, after first-use costs are paid. */
  void startClock() {
    startNanos = System.nanoTime();
    startedAt = System.currentTimeMillis() / 1000.0;
  }

  @Override
  public synchronized void close() {
    try {
      lines.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
