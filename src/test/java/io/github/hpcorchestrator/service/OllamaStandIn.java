package io.github.hpcorchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A stand-in for {@code ollama serve}, because the real Ollama has no package here: it speaks the
 * parts of Ollama's HTTP API the orchestrator uses ({@code /}, {@code /api/version},
 * {@code /api/tags}, and {@code POST /api/pull} with streamed NDJSON progress) and keeps pulled
 * models in {@code OLLAMA_MODELS} in Ollama's layout, so tests exercise the real client code path.
 *
 * <p>Its catalogue: {@value #TINY} (a 3 MB and a small layer), {@value #STALL} (says "pulling
 * manifest", then nothing), {@value #LONG_LINE} (one 70 KiB line). Any other valid name gets
 * Ollama's answer for a model the registry does not have; a name with a space gets HTTP 400.
 *
 * <p>Run as a process: {@code OllamaStandIn serve}, listening where {@code OLLAMA_HOST} says.
 */
public final class OllamaStandIn implements AutoCloseable {
  static final String TINY = "standin-tiny:1b";
  static final String STALL = "standin-stall:1b";
  static final String LONG_LINE = "standin-longline:1b";
  /** Ollama's own words when the registry has no such model. */
  static final String UNKNOWN_MODEL = "pull model manifest: file does not exist";
  private static final Map<String, List<Integer>> LAYERS = Map.of(TINY, List.of(3_000_000, 412));
  private static final int CHUNK = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Path models;
  private final CountDownLatch closed = new CountDownLatch(1);

  /** Listens on {@code address} and keeps models under {@code models}. */
  public OllamaStandIn(InetSocketAddress address, Path models) throws IOException {
    this.models = models;
    server = HttpServer.create(address, 16);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ollama-stand-in");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** Where it listens. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || !args[0].equals("serve")) {
      System.err.println("usage: OllamaStandIn serve");
      System.exit(2);
    }
    String host = System.getenv().getOrDefault("OLLAMA_HOST", "127.0.0.1:11434");
    int colon = host.lastIndexOf(':');
    Path models = Path.of(System.getenv().getOrDefault("OLLAMA_MODELS",
        System.getProperty("user.home") + "/.ollama/models"));
    OllamaStandIn standIn = new OllamaStandIn(
        new InetSocketAddress(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1))), models);
    System.out.println("Ollama stand-in listening on " + standIn.address() + ", models in " + models);
    // The HTTP server's dispatcher thread keeps the process alive until it is signalled.
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/" -> send(exchange, 200, "Ollama is running");
        case "/api/version" -> send(exchange, 200, "{\"version\":\"0.0.0-stand-in\"}");
        case "/api/tags" -> send(exchange, 200, tags());
        case "/api/pull" -> pull(exchange);
        default -> send(exchange, 404, "404 page not found");
      }
    }
  }

  private String tags() throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    var list = answer.putArray("models");
    Path library = models.resolve("manifests/registry.ollama.ai/library");
    if (Files.isDirectory(library)) {
      try (var names = Files.list(library)) {
        for (Path name : names.toList()) {
          try (var tags = Files.list(name)) {
            tags.forEach(tag -> list.addObject().put("name", name.getFileName() + ":" + tag.getFileName()));
          }
        }
      }
    }
    return JSON.writeValueAsString(answer);
  }

  private void pull(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      send(exchange, 405, "405 method not allowed");
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    String model = request.path("model").asText(request.path("name").asText(""));
    if (model.isBlank() || model.contains(" ")) {
      send(exchange, 400, "{\"error\":\"invalid model name\"}");
      return;
    }
    String name = model.contains(":") ? model : model + ":latest";
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    line(out, JSON.createObjectNode().put("status", "pulling manifest"));
    if (name.equals(STALL)) {
      await(closed);
      return;
    }
    if (name.equals(LONG_LINE)) {
      line(out, JSON.createObjectNode().put("status", "x".repeat(70 * 1024)));
      return;
    }
    List<Integer> layers = LAYERS.get(name);
    if (layers == null) {
      line(out, JSON.createObjectNode().put("error", UNKNOWN_MODEL));
      return;
    }
    for (int i = 0; i < layers.size(); i++) {
      String digest = "sha256:" + sha256(name + "/" + i);
      Path blob = models.resolve("blobs/" + digest.replace(':', '-'));
      int total = layers.get(i);
      ObjectNode event = JSON.createObjectNode().put("status", "pulling " + digest.substring(7, 19))
          .put("digest", digest).put("total", total);
      if (Files.exists(blob) && Files.size(blob) == total) {
        line(out, event.put("completed", total)); // as Ollama does for a layer it already has
        continue;
      }
      line(out, event.deepCopy()); // Ollama's first line of a layer it downloads has no "completed" yet
      Files.createDirectories(blob.getParent());
      try (OutputStream file = Files.newOutputStream(blob)) {
        for (int done = 0; done < total; ) {
          int n = Math.min(CHUNK, total - done);
          file.write(new byte[n]);
          done += n;
          line(out, event.put("completed", done));
        }
      }
    }
    line(out, JSON.createObjectNode().put("status", "verifying sha256 digest"));
    line(out, JSON.createObjectNode().put("status", "writing manifest"));
    int colon = name.lastIndexOf(':');
    Path manifest = models.resolve("manifests/registry.ollama.ai/library/" + name.substring(0, colon) + "/"
        + name.substring(colon + 1));
    Files.createDirectories(manifest.getParent());
    Files.writeString(manifest, "{\"schemaVersion\":2,\"layers\":" + layers.size() + "}");
    line(out, JSON.createObjectNode().put("status", "success"));
  }

  private static void line(OutputStream out, ObjectNode event) throws IOException {
    out.write(JSON.writeValueAsBytes(event));
    out.write('\n');
    out.flush();
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
