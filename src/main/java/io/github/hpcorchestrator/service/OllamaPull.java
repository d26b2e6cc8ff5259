package io.github.hpcorchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pulls one model into a running Ollama through its streamed {@code POST /api/pull} answer, with
 * progress lines, within a deadline and size limits.
 */
final class OllamaPull {
  /** How long one model may take, checked on every line of Ollama's answer. */
  static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(60);
  /** How long Ollama may send nothing at all before the pull counts as stuck. */
  static final Duration DEFAULT_SILENCE = Duration.ofMinutes(5);
  /** The longest line of the answer accepted (a real line is a few hundred bytes). */
  static final int MAX_LINE_BYTES = 64 * 1024;
  /** The most the whole answer may hold (an hour of progress lines is a few MB). */
  static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;
  private static final int MAX_WORDS = 400;
  private static final Duration REPORT_EVERY = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration deadline;
  private final Duration silence;

  OllamaPull(Duration deadline, Duration silence) {
    this.deadline = deadline;
    this.silence = silence;
  }

  /**
   * Pulls {@code model} on the Ollama at {@code address}; empty once Ollama said "success", else
   * why not, in Ollama's own words where it gave any.
   *
   * @param label names the service in progress lines
   */
  Optional<String> pull(InetSocketAddress address, String model, String label, Consumer<String> progress) {
    long start = System.nanoTime();
    HttpURLConnection http = null;
    try {
      URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/api/pull");
      // The address is the service itself or this machine's forward to it: never a proxy's business.
      http = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
      http.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, silence.toMillis()));
      http.setReadTimeout((int) Math.min(Integer.MAX_VALUE, silence.toMillis()));
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("Content-Type", "application/json");
      ObjectNode request = JSON.createObjectNode().put("model", model).put("stream", true);
      try (OutputStream body = http.getOutputStream()) {
        body.write(JSON.writeValueAsBytes(request));
      }
      int code = http.getResponseCode();
      if (code < 200 || code > 299) {
        InputStream error = http.getErrorStream();
        String text = error == null ? "" : new Lines(error).next().orElse("");
        String words = errorWords(text).orElse(text.isBlank() ? "(no text)" : oneLine(text));
        return Optional.of("HTTP " + code + ": " + words);
      }
      return follow(new Lines(http.getInputStream()), model, label, progress, start);
    } catch (SocketTimeoutException e) {
      return Optional.of("Ollama sent nothing for " + silence.toSeconds() + " s (the limit for a silent pull)");
    } catch (LimitException e) {
      return Optional.of(e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of("the pull request failed: " + oneLine(String.valueOf(e.getMessage())));
    } finally {
      if (http != null) {
        http.disconnect();
      }
    }
  }

  /** Reads the answer's lines until "success" or an error line. */
  private Optional<String> follow(Lines lines, String model, String label, Consumer<String> progress, long start)
      throws IOException {
    Map<String, long[]> layers = new LinkedHashMap<>(); // digest -> {first completed seen, completed, total}
    String lastStatus = "";
    long firstByteAt = 0;
    long nextReport = start;
    while (true) {
      Optional<String> line = lines.next();
      long now = System.nanoTime();
      if (line.isEmpty()) {
        return Optional.of("Ollama's answer ended before it said success"
            + (lastStatus.isEmpty() ? "" : " (last status: " + lastStatus + ")"));
      }
      if (Duration.ofNanos(now - start).compareTo(deadline) > 0) {
        return Optional.of("not done within " + (deadline.toMinutes() > 0 ? deadline.toMinutes() + " min"
            : deadline.toSeconds() + " s") + " (the limit for one model)"
            + (lastStatus.isEmpty() ? "" : "; last status: " + lastStatus));
      }
      if (line.get().isBlank()) {
        continue;
      }
      JsonNode event;
      try {
        event = JSON.readTree(line.get());
      } catch (IOException e) {
        return Optional.of("Ollama's answer is not JSON lines: " + oneLine(line.get()));
      }
      Optional<String> error = errorWords(event);
      if (error.isPresent()) {
        return error;
      }
      String status = oneLine(event.path("status").asText(""));
      if (status.equals("success")) {
        long downloaded = layers.values().stream().mapToLong(l -> l[1] - l[0]).sum();
        progress.accept(label + ": " + model + " ready (" + (downloaded == 0 ? "already present"
            : size(downloaded) + " downloaded") + ", " + seconds(now - start) + " s)");
        return Optional.empty();
      }
      String digest = event.path("digest").asText("");
      if (!digest.isEmpty() && event.path("total").canConvertToLong()) {
        long total = event.path("total").asLong();
        long completed = event.path("completed").asLong(0);
        layers.computeIfAbsent(digest, d -> new long[] {completed, completed, total});
        long[] layer = layers.get(digest);
        // A layer that just finished is always reported, so even a fast pull shows its progress.
        boolean finished = layer[1] < total && completed >= total;
        layer[1] = Math.max(layer[1], completed);
        layer[2] = total;
        if (firstByteAt == 0) {
          firstByteAt = now;
        }
        if (now >= nextReport || finished) {
          progress.accept(label + ": pulling " + model + ": " + percent(layers) + " of " + size(sum(layers, 2))
              + ", " + rate(layers, now - firstByteAt) + " [" + seconds(now - start) + " s]");
          nextReport = now + REPORT_EVERY.toNanos();
        }
      } else if (!status.equals(lastStatus)) {
        progress.accept(label + ": " + model + ": " + status + " [" + seconds(now - start) + " s]");
      }
      lastStatus = status;
    }
  }

  /** Ollama's own words in an answer line {"error": "..."}, if it is one. */
  private static Optional<String> errorWords(String line) {
    try {
      return errorWords(JSON.readTree(line));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> errorWords(JsonNode event) {
    JsonNode error = event == null ? null : event.get("error");
    if (error == null || error.isNull()) {
      return Optional.empty();
    }
    return Optional.of(oneLine(error.isTextual() ? error.asText() : error.toString()));
  }

  private static String percent(Map<String, long[]> layers) {
    long total = sum(layers, 2);
    return total <= 0 ? "?%" : Math.min(100, 100 * sum(layers, 1) / total) + "%";
  }

  private static String rate(Map<String, long[]> layers, long nanos) {
    long downloaded = layers.values().stream().mapToLong(l -> l[1] - l[0]).sum();
    double mbPerSecond = nanos <= 0 ? 0 : downloaded / 1e6 / (nanos / 1e9);
    return String.format(Locale.ROOT, "%.1f MB/s", mbPerSecond);
  }

  private static long sum(Map<String, long[]> layers, int field) {
    return layers.values().stream().mapToLong(l -> l[field]).sum();
  }

  private static String size(long bytes) {
    if (bytes >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static long seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds();
  }

  /** Text from the service as one short line: control characters become spaces, long text is cut. */
  static String oneLine(String text) {
    String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
    return flat.length() <= MAX_WORDS ? flat : flat.substring(0, MAX_WORDS) + "...";
  }

  /** A limit of this class was hit; its message names the limit. */
  private static final class LimitException extends IOException {
    private static final long serialVersionUID = 1L;

    LimitException(String message) {
      super(message);
    }
  }

  /** The answer's lines, each at most {@link #MAX_LINE_BYTES}, all at most {@link #MAX_ANSWER_BYTES}. */
  private static final class Lines {
    private final InputStream in;
    private long read;

    Lines(InputStream in) {
      this.in = new java.io.BufferedInputStream(in);
    }

    /** The next line without its line break; empty at the end of the answer. */
    Optional<String> next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          return line.size() == 0 ? Optional.empty() : Optional.of(line.toString(StandardCharsets.UTF_8));
        }
        if (++read > MAX_ANSWER_BYTES) {
          throw new LimitException("Ollama's answer is over " + MAX_ANSWER_BYTES / (1024 * 1024)
              + " MiB (the limit for one pull's answer)");
        }
        if (b == '\n') {
          return Optional.of(line.toString(StandardCharsets.UTF_8));
        }
        if (line.size() >= MAX_LINE_BYTES) {
          throw new LimitException("a line of Ollama's answer is over " + MAX_LINE_BYTES / 1024
              + " KiB (the limit for one line)");
        }
        line.write(b);
      }
    }
  }
}
