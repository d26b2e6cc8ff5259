package io.github.hpcorchestrator.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.hpcorchestrator.recipe.SimulatorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server that answers Ollama's and OpenAI's generation APIs with known timings: the first
 * token {@code ttft} after the request is read, then one every {@code tpot}, up to
 * {@code output_tokens}; {@code error_rate} of generation requests get HTTP 500 and
 * {@code cut_rate} of the others end after half their tokens, drawn from a seeded random sequence.
 * Handler threads only read requests; one shared scheduler writes every stream.
 */
public final class LlmSimulator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_LIMIT = 1 << 20;
  private static final int BACKLOG = 4096;
  private static final int HANDLER_THREADS = 4;
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private final SimulatorSpec spec;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledThreadPoolExecutor writers;
  private final Random draws;
  private final AtomicLong ids = new AtomicLong();

  private LlmSimulator(SimulatorSpec spec, HttpServer server) {
    this.spec = spec;
    this.server = server;
    this.draws = new Random(spec.seed());
    this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, daemon("llm-simulator-read"));
    this.writers = new ScheduledThreadPoolExecutor(Math.max(2, Runtime.getRuntime().availableProcessors()),
        daemon("llm-simulator-write"));
    writers.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts serving on {@code address} (port 0: a free one).
   *
   * @throws IOException when it cannot listen there
   */
  public static LlmSimulator start(InetSocketAddress address, SimulatorSpec spec) throws IOException {
    // The JDK server writes headers and body apart; with Nagle on, a client's delayed ACK holds
    // the body ~40 ms. Read once, when the first server of the JVM is made; an explicit setting wins.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    LlmSimulator simulator = new LlmSimulator(spec, HttpServer.create(address, BACKLOG));
    simulator.server.setExecutor(simulator.handlers);
    simulator.server.createContext("/", simulator::handle);
    simulator.server.start();
    return simulator;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops serving; streams under way end where they are. */
  @Override
  public void close() {
    server.stop(0);
    writers.shutdownNow();
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long read;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(BODY_LIMIT + 1);
      read = System.nanoTime();
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Api api = Arrays.stream(Api.values()).filter(a -> a.path().equals(path)).findFirst().orElse(null);
      if (body.length > BODY_LIMIT) {
        send(exchange, 413, error(api, "request body over " + BODY_LIMIT + " bytes"));
      } else if (path.equals("/") && method.equals("GET")) {
        send(exchange, 200, "text/plain; charset=utf-8", "Ollama is running".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/api/tags") && method.equals("GET")) {
        send(exchange, 200, Catalog.tags());
      } else if (path.equals("/api/ps") && method.equals("GET")) {
        send(exchange, 200, Catalog.running());
      } else if (path.equals("/api/version") && method.equals("GET")) {
        send(exchange, 200, Catalog.version());
      } else if (path.equals("/v1/models") && method.equals("GET")) {
        send(exchange, 200, Catalog.models());
      } else if (path.equals("/api/pull") && method.equals("POST")) {
        pull(exchange, json(body));
      } else if (api != null && method.equals("POST")) {
        generate(exchange, api, json(body), read);
      } else if (api != null || Catalog.PATHS.contains(path)) {
        send(exchange, 405, error(api, "method " + method + " not allowed on " + path));
      } else {
        send(exchange, 404, error(null, "no such endpoint: " + path));
      }
    } catch (IllegalArgumentException bad) {
      send(exchange, 400, error(null, bad.getMessage()));
    }
  }

  private void generate(HttpExchange exchange, Api api, JsonNode body, long read) throws IOException {
    GenerationRequest request = GenerationRequest.parse(api, body);
    boolean fail;
    boolean cut;
    synchronized (draws) {
      // Both draws for every request, so one rate's setting does not shift the other's sequence.
      fail = draws.nextDouble() < spec.errorRate();
      cut = draws.nextDouble() < spec.cutRate();
    }
    if (fail) {
      send(exchange, 500, error(api, "simulated server error (error_rate " + spec.errorRate() + ")"));
      return;
    }
    Wire wire = Wire.of(request, ids.incrementAndGet());
    exchange.getResponseHeaders().set("Content-Type", wire.contentType());
    if (cut) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    if (request.stream()) {
      exchange.sendResponseHeaders(200, 0);
      new TokenStream(exchange, wire, writers, spec, request, read, cut).start();
      return;
    }
    int tokens = request.answerTokens(spec.outputTokens());
    long ttft = spec.ttft().toNanos();
    long done = read + ttft + (tokens - 1) * spec.tpot().toNanos();
    String reason = tokens < spec.outputTokens() ? "length" : "stop";
    writers.schedule(() -> {
      byte[] answer = wire.whole(OutputText.tokens(tokens),
          new Totals(request.promptTokens(), tokens, reason, read, read + ttft, System.nanoTime()));
      try {
        // A cut whole answer is half its JSON, then the connection closes.
        exchange.sendResponseHeaders(200, cut ? 0 : answer.length);
        exchange.getResponseBody().write(answer, 0, cut ? answer.length / 2 : answer.length);
      } catch (IOException clientGone) {
        // Nothing to tell: the client left.
      } finally {
        exchange.close();
      }
    }, done - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void pull(HttpExchange exchange, JsonNode body) throws IOException {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    boolean stream = body.path("stream").asBoolean(true);
    exchange.getResponseHeaders().set("Content-Type", stream ? "application/x-ndjson" : "application/json");
    exchange.sendResponseHeaders(200, 0);
    for (ObjectNode line : Catalog.pullStatus(stream)) {
      exchange.getResponseBody().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    exchange.close();
  }

  private static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("the body cannot be read: " + e.getMessage());
    }
  }

  /** An error body in the format of {@code api}'s family (Ollama's when unknown). */
  private static byte[] error(Api api, String message) {
    ObjectNode node = JSON.createObjectNode();
    if (api != null && !api.ollama()) {
      node.putObject("error").put("message", message).put("type", "server_error").putNull("code");
    } else {
      node.put("error", message);
    }
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, byte[] json) throws IOException {
    send(exchange, status, "application/json", json);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong count = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
