package io.github.hpcorchestrator.exporter;

import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs a URL with a hard deadline on the whole exchange, body included (the request timeout of
 * {@link HttpClient} only covers the headers). Never throws: every failure is an {@link Answer}
 * without a status. Thread-safe; holds one {@link HttpClient}.
 */
public final class DeadlineHttpClient {

  /** What a GET got: the status and body when a response arrived in time, else why not. */
  public record Answer(OptionalInt status, Optional<String> body, String failure) {

    static Answer of(int status, String body) {
      return new Answer(OptionalInt.of(status), Optional.of(body), "");
    }

    static Answer failed(String why) {
      return new Answer(OptionalInt.empty(), Optional.empty(), why);
    }

    /** True for a 2xx response. */
    public boolean ok() {
      return status.isPresent() && status.getAsInt() >= 200 && status.getAsInt() < 300;
    }

    /** The body of a 2xx response. */
    public Optional<String> okBody() {
      return ok() ? body : Optional.empty();
    }
  }

  private final HttpClient http;
  private final Duration timeout;

  /** @param timeout the most one {@link #get} may take, connecting included */
  public DeadlineHttpClient(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** The deadline of one {@link #get}. */
  public Duration timeout() {
    return timeout;
  }

  /** Starts a GET of {@code uri}; the future always completes normally within the timeout. */
  public CompletableFuture<Answer> getAsync(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    CompletableFuture<HttpResponse<String>> exchange =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return exchange
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((response, error) -> {
          if (error == null) {
            return Answer.of(response.statusCode(), response.body());
          }
          exchange.cancel(true);
          return Answer.failed(describe(error));
        });
  }

  /** GETs {@code uri}, waiting at most the timeout. */
  public Answer get(URI uri) {
    try {
      return getAsync(uri).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted");
    } catch (ExecutionException e) {
      return Answer.failed(describe(e.getCause()));
    }
  }

  private String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
      return "no answer within " + PrometheusDuration.format(timeout);
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
