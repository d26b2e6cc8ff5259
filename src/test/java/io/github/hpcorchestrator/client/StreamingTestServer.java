package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port that streams Ollama NDJSON and OpenAI SSE at known
 * timings (first token after {@code ttftMillis}, then one every {@code tpotMillis}), so tests can
 * compare what the client measured with the truth; it counts requests in flight.
 */
final class StreamingTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the server answers: {@code cutAfter} tokens then an abrupt end (-1: never), or a status. */
  record Behaviour(long ttftMillis, long tpotMillis, int tokens, int cutAfter, int status) {
    static Behaviour streaming(long ttftMillis, long tpotMillis, int tokens) {
      return new Behaviour(ttftMillis, tpotMillis, tokens, -1, 200);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Behaviour behaviour;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  StreamingTestServer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The most requests that were being answered at once. */
  int peakInFlight() {
    return peak.get();
  }

  private void handle(HttpExchange x) throws IOException {
    int now = inFlight.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    boolean counted = true;
    try (x) {
      JsonNode req = JSON.readTree(x.getRequestBody().readAllBytes());
      if (behaviour.status() != 200) {
        x.sendResponseHeaders(behaviour.status(), -1);
        return;
      }
      String path = x.getRequestURI().getPath();
      boolean openai = path.startsWith("/v1/");
      boolean chat = path.endsWith("chat") || path.endsWith("chat/completions");
      String prompt = chat ? req.path("messages").path(0).path("content").asText() : req.path("prompt").asText();
      int promptTokens = prompt.isBlank() ? 0 : prompt.strip().split("\\s+").length;
      int tokens = openai ? req.path("max_tokens").asInt(behaviour.tokens())
          : req.path("options").path("num_predict").asInt(behaviour.tokens());
      x.getResponseHeaders().set("Content-Type", openai ? "text/event-stream" : "application/x-ndjson");
      x.sendResponseHeaders(200, 0);
      OutputStream out = x.getResponseBody();
      sleep(behaviour.ttftMillis());
      for (int i = 0; i < tokens; i++) {
        if (i > 0) {
          sleep(behaviour.tpotMillis());
        }
        if (i == behaviour.cutAfter()) {
          return; // ends the body (chunked) without the stream's end marker: a cut stream
        }
        String tok = "tok" + i + " ";
        write(out, openai ? sse(chat, tok) : ollama(chat, tok, false, 0, 0));
      }
      // Counted out before the last bytes: the client can send its next request as soon as they arrive.
      inFlight.decrementAndGet();
      counted = false;
      if (openai) {
        write(out, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":"
            + tokens + ",\"total_tokens\":" + (promptTokens + tokens) + "}}\n\ndata: [DONE]\n\n");
      } else {
        write(out, ollama(chat, "", true, promptTokens, tokens));
      }
    } finally {
      if (counted) {
        inFlight.decrementAndGet();
      }
    }
  }

  private static String sse(boolean chat, String tok) {
    String choice = chat ? "{\"index\":0,\"delta\":{\"content\":\"" + tok + "\"}}" : "{\"index\":0,\"text\":\"" + tok + "\"}";
    return "data: {\"choices\":[" + choice + "]}\n\n";
  }

  private static String ollama(boolean chat, String tok, boolean done, int prompt, int eval) {
    String content = chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"" + tok + "\"}" : "\"response\":\"" + tok + "\"";
    String tail = done ? ",\"prompt_eval_count\":" + prompt + ",\"eval_count\":" + eval : "";
    return "{\"model\":\"sim\"," + content + ",\"done\":" + done + tail + "}\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis); // the server's configured timing, the truth tests compare with
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
