package io.github.hpcorchestrator.client;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One request from send to end: times each arrival of body bytes as it comes, and ends exactly
 * once, by the body's end, a failure, its deadline or a stop.
 */
final class Exchange implements HttpResponse.BodyHandler<Void> {
  /** Bounds the chunk times one request keeps (ITLs beyond it are not recorded). */
  static final int MAX_CHUNK_TIMES = 1 << 16;

  private final long index;
  private final boolean measured;
  private final long planned;
  private final long send;
  private final LongSupplier clock;
  private final StreamDecoder decoder;
  private final Consumer<RequestRecord> onEnd;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Flow.Subscription subscription;
  private volatile CompletableFuture<?> future;
  private volatile Future<?> deadline;
  private int status;
  private long[] chunkTimes = new long[16];
  private int chunks;

  Exchange(long index, boolean measured, long planned, long send, String type, LongSupplier clock,
      Consumer<RequestRecord> onEnd) {
    this.index = index;
    this.measured = measured;
    this.planned = planned;
    this.send = send;
    this.clock = clock;
    this.decoder = new StreamDecoder(type);
    this.onEnd = onEnd;
  }

  /** Remembers the HTTP client's future, so a deadline can abort a request still waiting for headers. */
  void attach(CompletableFuture<?> f) {
    this.future = f.whenComplete((r, e) -> {
      if (e != null) {
        end(kindOf(e));
      }
    });
  }

  /** Remembers the request's deadline timer, so it is cancelled (and leaves the timer queue) when the request ends. */
  void deadline(Future<?> timer) {
    this.deadline = timer;
    if (ended.get()) {
      timer.cancel(false);
    }
  }

  @Override
  public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
    synchronized (this) {
      status = info.statusCode();
    }
    if (status < 200 || status > 299) {
      end("http_" + status);
      return HttpResponse.BodySubscribers.discarding();
    }
    return new Body();
  }

  /** Ends the request as {@code kind} (timeout, stopped) unless it has ended already, and aborts it. */
  void abort(String kind) {
    if (end(kind)) {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      CompletableFuture<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  boolean ended() {
    return ended.get();
  }

  private boolean end(String error) {
    long now = clock.getAsLong();
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    RequestRecord record;
    synchronized (this) {
      long first = chunks > 0 ? chunkTimes[0] : -1;
      long[] itls = new long[Math.max(0, Math.min(chunks, MAX_CHUNK_TIMES) - 1)];
      for (int i = 0; i < itls.length; i++) {
        itls[i] = chunkTimes[i + 1] - chunkTimes[i];
      }
      // E2E ends at the last content chunk for a success; a failure ends when it was seen.
      long end = error == null && chunks > 0 ? chunkTimes[Math.min(chunks, MAX_CHUNK_TIMES) - 1] : now;
      record = new RequestRecord(index, measured, planned, send, first, end, status, error,
          decoder.inputTokens(), decoder.outputTokens(), chunks, itls);
    }
    Future<?> timer = deadline;
    if (timer != null) {
      timer.cancel(false);
    }
    onEnd.accept(record);
    return true;
  }

  private static String kindOf(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
      return "connect";
    }
    if (t instanceof HttpTimeoutException) {
      return "timeout";
    }
    if (t instanceof javax.net.ssl.SSLException) {
      return "tls"; // the handshake failed: not the server's fault, so not a bad response
    }
    return "bad_response"; // closed or garbled before a status line
  }

  private final class Body implements HttpResponse.BodySubscriber<Void> {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      long now = clock.getAsLong();
      synchronized (Exchange.this) {
        for (ByteBuffer b : items) {
          int n = decoder.feed(b);
          for (int i = 0; i < n; i++) {
            if (chunks < MAX_CHUNK_TIMES) {
              if (chunks == chunkTimes.length) {
                chunkTimes = Arrays.copyOf(chunkTimes, chunks * 2);
              }
              chunkTimes[chunks] = now;
            }
            chunks++;
          }
        }
      }
      if (decoder.error() != null) {
        abort(decoder.error());
      }
    }

    @Override
    public void onError(Throwable t) {
      end(t instanceof HttpTimeoutException ? "timeout" : "stream_cut");
      done.complete(null);
    }

    @Override
    public void onComplete() {
      String error;
      synchronized (Exchange.this) {
        error = decoder.endError();
      }
      end(error);
      done.complete(null);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> getBody() {
      return done;
    }
  }
}
