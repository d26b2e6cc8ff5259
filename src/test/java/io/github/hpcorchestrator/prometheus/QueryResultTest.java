package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryResultTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void scalarIsOneUnlabelledSeries() throws IOException {
    QueryResult result = QueryResult.fromResponse(json.readTree(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.001,\"+Inf\"]}}"));

    assertThat(result.resultType()).isEqualTo(ResultType.SCALAR);
    assertThat(result.series()).containsExactly(
        new Series(Map.of(), List.of(new Sample(Instant.ofEpochMilli(1_700_000_000_001L), "+Inf"))));
  }

  @Test
  void unknownResultTypeIsAnOperationFailure() throws IOException {
    assertThatThrownBy(() -> QueryResult.fromResponse(json.readTree(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"histogram\",\"result\":[]}}")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("Prometheus sent an unexpected query result: unknown resultType \"histogram\"");
  }

  @Test
  void malformedSampleIsAnOperationFailure() throws IOException {
    assertThatThrownBy(() -> QueryResult.fromResponse(json.readTree(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[\"x\",\"1\"]}]}}")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("Prometheus sent an unexpected query result: a sample is not a [time, \"value\"] pair");
  }
}
