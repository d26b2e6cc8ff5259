package io.github.hpcorchestrator.client;

/**
 * One ended request as measured; times are nanoseconds on the run's monotonic clock, -1 where the
 * request never got there.
 *
 * @param index order of sending, from 0
 * @param measured false for a warmup request
 * @param planned open loop: the planned send time; closed loop: -1
 * @param send when the request was handed to the HTTP client
 * @param firstContent when the first chunk with non-empty content arrived
 * @param end when the last byte arrived, or when the failure was seen
 * @param status HTTP status, 0 when no response came
 * @param error the failure kind ({@code http_<code>}, {@code connect}, {@code timeout}, {@code stream_cut},
 *     {@code bad_response}, {@code tls}, {@code stopped}), null for a success
 * @param inputTokens prompt tokens the server counted, -1 when it gave none
 * @param outputTokens output tokens the server counted, -1 when it gave none
 * @param chunks content chunks received
 * @param itls gaps between successive content chunks (at most {@link Exchange#MAX_CHUNK_TIMES})
 */
record RequestRecord(long index, boolean measured, long planned, long send, long firstContent, long end,
    int status, String error, long inputTokens, long outputTokens, int chunks, long[] itls) {

  /** Whether the token counts came from the server. */
  String tokenSource() {
    return outputTokens >= 0 ? "server" : "none";
  }
}
