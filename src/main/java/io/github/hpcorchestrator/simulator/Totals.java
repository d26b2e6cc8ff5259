package io.github.hpcorchestrator.simulator;

/**
 * The counts and times of one finished answer, for Ollama's final object and OpenAI's usage.
 *
 * @param promptTokens the request's prompt length (see {@link GenerationRequest#promptTokens})
 * @param outputTokens the tokens the answer had
 * @param finishReason "length" when the request's limit cut it, else "stop"
 * @param readNanos monotonic time the request was read
 * @param firstNanos monotonic time the first token went out
 * @param endNanos monotonic time the last token went out
 */
record Totals(int promptTokens, int outputTokens, String finishReason, long readNanos, long firstNanos,
    long endNanos) {}
