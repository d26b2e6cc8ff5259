package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClientSummaryTableTest {
  @Test
  void rendersEachStageWithRatesErrorsAndLatenciesInMilliseconds() throws IOException {
    String json = """
        {"client_id": "chat_01234567", "partial": true, "stages": [{"name": "measured", "requests": 92,
          "errors": {"HTTP_500": 2, "TIMEOUT": 1},
          "ttft": {"count": 89, "mean": 0.2012, "p50": 0.2005, "p90": 0.203, "p95": 0.204, "p99": 0.21,
                   "p999": 0.212, "max": 0.213},
          "tpot": {"count": 89, "mean": 0.02, "p50": 0.02, "p90": 0.021, "p95": 0.021, "p99": 0.022,
                   "p999": 0.022, "max": 0.023},
          "queue_delay": {"count": 0},
          "request_rate": 3.91, "output_token_rate": 250.2, "total_token_rate": 270.04}]}
        """;
    String table = ClientSummaryTable.render(new ObjectMapper().readTree(json));
    assertThat(table).startsWith("client chat_01234567 (partial: the client was stopped or died");
    assertThat(table).contains("stage measured: 92 requests, 3 errors (HTTP_500 2, TIMEOUT 1)\n");
    assertThat(table).contains("  3.91 requests/s, 250.2 output tokens/s, 270.0 total tokens/s\n");
    assertThat(table).contains("  TTFT               89    201.20    200.50    203.00    204.00    210.00    212.00"
        + "    213.00\n");
    assertThat(table).contains("  TPOT ").doesNotContain("queue delay").doesNotContain("ITL");
  }

  @Test
  void aCompleteRunWithoutErrorsSaysSo() throws IOException {
    String table = ClientSummaryTable.render(new ObjectMapper().readTree(
        "{\"client_id\": \"c_0\", \"partial\": false, \"stages\": [{\"name\": \"s\", \"requests\": 1, \"errors\": {}}]}"));
    assertThat(table).isEqualTo("client c_0\n\nstage s: 1 requests, no errors\n"
        + "  0.00 requests/s, 0.0 output tokens/s, 0.0 total tokens/s\n"
        + "  latency (ms)    count      mean       p50       p90       p95       p99     p99.9       max\n");
  }
}
