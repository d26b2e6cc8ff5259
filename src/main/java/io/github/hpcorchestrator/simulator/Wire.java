package io.github.hpcorchestrator.simulator;

/** How one answer of one API is framed on the wire; one instance per request. */
interface Wire {

  /** The Content-Type of the answer. */
  String contentType();

  /** One streamed chunk that carries output token {@code index} (from 0) as {@code text}. */
  byte[] token(int index, String text);

  /** What ends a streamed answer: Ollama's final object; OpenAI's finish chunk, usage and [DONE]. */
  byte[] end(Totals totals);

  /** The whole answer of a request with {@code stream: false}. */
  byte[] whole(String text, Totals totals);

  /** The framing for {@code request}; {@code id} tells answers apart (OpenAI's ids). */
  static Wire of(GenerationRequest request, long id) {
    return request.api().ollama() ? new OllamaWire(request) : new OpenAiWire(request, id);
  }
}
