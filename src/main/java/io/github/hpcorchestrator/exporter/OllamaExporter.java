package io.github.hpcorchestrator.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Exports an Ollama server's state, asked at every scrape: {@code /api/version},
 * {@code /api/tags} and {@code /api/ps} are fetched in parallel, so a scrape takes at most the
 * timeout. {@code ollama_up} is 1 when {@code /api/version} answered; the model metrics come from
 * whichever of the other two answered, and a field Ollama did not send leaves its sample out.
 */
public final class OllamaExporter implements MultiCollector {

  static final String UP = "ollama_up";
  static final String VERSION = "ollama_version";
  static final String MODELS_AVAILABLE = "ollama_models_available";
  static final String MODEL_SIZE = "ollama_model_size_bytes";
  static final String MODELS_LOADED = "ollama_models_loaded";
  static final String LOADED_SIZE = "ollama_loaded_model_size_bytes";
  static final String LOADED_VRAM = "ollama_loaded_model_vram_bytes";
  static final String LOADED_CONTEXT = "ollama_loaded_model_context_length";
  static final String LOADED_EXPIRES = "ollama_loaded_model_expires_at_seconds";
  static final String SCRAPE_DURATION = "ollama_scrape_duration_seconds";

  private final String base;
  private final DeadlineHttpClient http;
  private final LongSupplier nanoTime;
  private final OllamaApiParser parser = new OllamaApiParser();

  /**
   * @param base the Ollama server's root, e.g. {@code http://127.0.0.1:11434}
   * @param http the client and the scrape's deadline
   * @param nanoTime the clock for the scrape duration ({@link System#nanoTime} outside tests)
   */
  public OllamaExporter(URI base, DeadlineHttpClient http, LongSupplier nanoTime) {
    String text = base.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.http = http;
    this.nanoTime = nanoTime;
  }

  @Override
  public MetricSnapshots collect() {
    long start = nanoTime.getAsLong();
    CompletableFuture<DeadlineHttpClient.Answer> version = http.getAsync(URI.create(base + "/api/version"));
    CompletableFuture<DeadlineHttpClient.Answer> tags = http.getAsync(URI.create(base + "/api/tags"));
    CompletableFuture<DeadlineHttpClient.Answer> ps = http.getAsync(URI.create(base + "/api/ps"));
    Gauges gauges = declare(new Gauges());

    // Each future completes normally within the timeout (see DeadlineHttpClient), so join() cannot hang.
    var versionText = version.join().okBody().flatMap(parser::version);
    gauges.set(UP, versionText.isPresent() ? 1 : 0);
    tags.join().okBody().flatMap(parser::tags).ifPresent(models -> {
      gauges.set(MODELS_AVAILABLE, models.size());
      for (OllamaApiParser.Model model : models) {
        Labels labels = Labels.of(
            "model", model.name(),
            "family", model.family().orElse(""),
            "parameter_size", model.parameterSize().orElse(""),
            "quantization_level", model.quantizationLevel().orElse(""));
        model.sizeBytes().ifPresent(size -> gauges.set(MODEL_SIZE, labels, size));
      }
    });
    ps.join().okBody().flatMap(parser::ps).ifPresent(models -> {
      gauges.set(MODELS_LOADED, models.size());
      for (OllamaApiParser.LoadedModel model : models) {
        Labels labels = Labels.of("model", model.name());
        model.sizeBytes().ifPresent(size -> gauges.set(LOADED_SIZE, labels, size));
        model.vramBytes().ifPresent(vram -> gauges.set(LOADED_VRAM, labels, vram));
        model.contextLength().ifPresent(length -> gauges.set(LOADED_CONTEXT, labels, length));
        model.expiresAt().ifPresent(at -> gauges.set(LOADED_EXPIRES, labels, epochSeconds(at)));
      }
    });
    gauges.set(SCRAPE_DURATION, (nanoTime.getAsLong() - start) / 1e9);

    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    gauges.build().forEach(snapshots::metricSnapshot);
    versionText.ifPresent(v -> snapshots.metricSnapshot(versionInfo(v)));
    return snapshots.build();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(UP, VERSION, MODELS_AVAILABLE, MODEL_SIZE, MODELS_LOADED, LOADED_SIZE, LOADED_VRAM,
        LOADED_CONTEXT, LOADED_EXPIRES, SCRAPE_DURATION);
  }

  private static Gauges declare(Gauges gauges) {
    return gauges
        .declare(UP, "1 if Ollama's /api/version answered within the timeout, else 0", null)
        .declare(MODELS_AVAILABLE, "Number of models Ollama has locally (/api/tags)", null)
        .declare(MODEL_SIZE, "Size of an available model, in bytes", Unit.BYTES)
        .declare(MODELS_LOADED, "Number of models loaded into memory (/api/ps)", null)
        .declare(LOADED_SIZE, "Memory a loaded model takes, in bytes", Unit.BYTES)
        .declare(LOADED_VRAM, "GPU memory a loaded model takes, in bytes", Unit.BYTES)
        .declare(LOADED_CONTEXT, "Context length a loaded model was loaded with, in tokens", null)
        .declare(LOADED_EXPIRES, "When a loaded model will be unloaded, in seconds since the epoch",
            Unit.SECONDS)
        .declare(SCRAPE_DURATION, "How long asking Ollama took, in seconds", Unit.SECONDS);
  }

  // Rendered as ollama_version_info{version="..."} 1.
  private static MetricSnapshot versionInfo(String version) {
    return InfoSnapshot.builder()
        .name(VERSION)
        .help("Ollama's version, from /api/version")
        .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build())
        .build();
  }

  private static double epochSeconds(Instant at) {
    return at.getEpochSecond() + at.getNano() / 1e9;
  }
}
