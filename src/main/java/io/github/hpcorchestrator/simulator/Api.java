package io.github.hpcorchestrator.simulator;

/** The generation endpoints the simulator answers, each with its path and wire format. */
enum Api {
  OLLAMA_GENERATE("/api/generate", true),
  OLLAMA_CHAT("/api/chat", true),
  OPENAI_CHAT("/v1/chat/completions", false),
  OPENAI_COMPLETIONS("/v1/completions", false);

  private final String path;
  private final boolean ollama;

  Api(String path, boolean ollama) {
    this.path = path;
    this.ollama = ollama;
  }

  /** The URL path it is served on. */
  String path() {
    return path;
  }

  /** True for Ollama's NDJSON format, false for OpenAI's SSE format. */
  boolean ollama() {
    return ollama;
  }

  /** True where the answer is a chat message rather than a completion text. */
  boolean chat() {
    return this == OLLAMA_CHAT || this == OPENAI_CHAT;
  }
}
