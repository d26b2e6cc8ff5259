package io.github.hpcorchestrator.client;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** Checks a read plan against the rules the runner relies on, failing on the first broken one. */
final class PlanCheck {
  private static final Set<String> TYPES = Set.of("http", "ollama", "openai");
  private static final Set<String> OLLAMA_PATHS = Set.of("/api/generate", "/api/chat");
  private static final Set<String> OPENAI_PATHS = Set.of("/v1/completions", "/v1/chat/completions");

  private final String file;

  PlanCheck(String file) {
    this.file = file;
  }

  /** Throws a one-line {@link BadPlanException} for the first rule {@code plan} breaks. */
  void check(ClientPlan plan) throws BadPlanException {
    require(plan.clientId() != null && !plan.clientId().isBlank(), "client_id", "a client ID", "nothing");
    require(plan.target() != null, "target", "an object with url", "nothing");
    checkUrl(plan.target().url());
    ClientPlan.Workload w = plan.workload();
    require(w != null, "workload", "an object with type", "nothing");
    require(w.type() != null && TYPES.contains(w.type()), "workload.type", "http, ollama or openai", w.type());
    require(w.path() != null && w.path().startsWith("/"), "workload.path", "a path starting with /", w.path());
    if (w.type().equals("ollama")) {
      require(OLLAMA_PATHS.contains(w.path()), "workload.path", "/api/generate or /api/chat", w.path());
    } else if (w.type().equals("openai")) {
      require(OPENAI_PATHS.contains(w.path()), "workload.path", "/v1/completions or /v1/chat/completions",
          w.path());
    }
    if (!w.type().equals("http")) {
      require(w.model().filter(m -> !m.isBlank()).isPresent(), "workload.model", "a model name", "nothing");
    }
    require(w.timeoutSeconds() > 0, "workload.timeout_seconds", "a number > 0", w.timeoutSeconds());
    if (w.maxTokens().isPresent()) {
      require(w.maxTokens().get() > 0, "workload.max_tokens", "an integer > 0", w.maxTokens().get());
    }
    checkPrompts(plan.prompts());
    checkLoad(plan.load());
    require(plan.maxErrorRate() >= 0 && plan.maxErrorRate() <= 1, "max_error_rate", "a fraction 0..1",
        plan.maxErrorRate());
  }

  private void checkUrl(String url) throws BadPlanException {
    URI uri;
    try {
      uri = url == null ? null : URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new BadPlanException(file, "target.url", "an http(s) URL", url);
    }
    require(uri != null && uri.getHost() != null
        && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())),
        "target.url", "an http(s) URL with a host", url);
  }

  private void checkPrompts(ClientPlan.Prompts p) throws BadPlanException {
    require(p != null, "prompts", "one of inline, file, synthetic", "nothing");
    int set = (p.inline().isPresent() ? 1 : 0) + (p.file().isPresent() ? 1 : 0) + (p.synthetic().isPresent() ? 1 : 0);
    require(set == 1, "prompts", "exactly one of inline, file, synthetic", set + " of them");
    if (p.inline().isPresent()) {
      require(!p.inline().get().isEmpty(), "prompts.inline", "at least one prompt", "an empty list");
    }
    if (p.synthetic().isPresent()) {
      lengths("prompts.synthetic.input", p.synthetic().get().input());
      lengths("prompts.synthetic.output", p.synthetic().get().output());
    }
  }

  private void lengths(String key, ClientPlan.Lengths l) throws BadPlanException {
    require(l != null, key, "{mean, stddev, min, max}", "nothing");
    require(l.min() >= 1 && l.max() >= l.min(), key, "1 <= min <= max", "min " + l.min() + ", max " + l.max());
    require(l.stddev() >= 0, key + ".stddev", "a number >= 0", l.stddev());
  }

  private void checkLoad(ClientPlan.Load l) throws BadPlanException {
    require(l != null, "load", "an object with concurrency or rate", "nothing");
    require(l.concurrency().isPresent() != l.rate().isPresent(), "load",
        "exactly one of concurrency, rate", l.concurrency().isPresent() ? "both" : "neither");
    if (l.concurrency().isPresent()) {
      require(l.concurrency().get() > 0, "load.concurrency", "an integer > 0", l.concurrency().get());
    } else {
      require(l.rate().get() > 0 && Double.isFinite(l.rate().get()), "load.rate", "a number > 0", l.rate().get());
      String arrivals = l.arrivals().orElse("poisson");
      require(arrivals.equals("poisson") || arrivals.equals("constant"), "load.arrivals", "poisson or constant",
          arrivals);
    }
    positive("load.max_in_flight", l.maxInFlight());
    require(l.requests().isPresent() != l.durationSeconds().isPresent(), "load",
        "exactly one of requests, duration_seconds", l.requests().isPresent() ? "both" : "neither");
    positive("load.requests", l.requests());
    if (l.durationSeconds().isPresent()) {
      require(l.durationSeconds().get() > 0, "load.duration_seconds", "a number > 0", l.durationSeconds().get());
    }
    require(!(l.warmupRequests().isPresent() && l.warmupSeconds().isPresent()), "load",
        "at most one of warmup_requests, warmup_seconds", "both");
    if (l.warmupRequests().isPresent()) {
      require(l.warmupRequests().get() >= 0, "load.warmup_requests", "an integer >= 0", l.warmupRequests().get());
    }
    if (l.warmupSeconds().isPresent()) {
      require(l.warmupSeconds().get() >= 0, "load.warmup_seconds", "a number >= 0", l.warmupSeconds().get());
    }
  }

  private void positive(String key, Optional<Integer> value) throws BadPlanException {
    if (value.isPresent()) {
      require(value.get() > 0, key, "an integer > 0", value.get());
    }
  }

  private void require(boolean ok, String key, String expected, Object found) throws BadPlanException {
    if (!ok) {
      throw new BadPlanException(file, key, expected, found);
    }
  }
}
