package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class QueryResultTableTest {

  private final QueryResultTable table = new QueryResultTable();
  private final ObjectMapper json = new ObjectMapper();

  private String render(String response) throws IOException {
    return table.render(QueryResult.fromResponse(json.readTree(response)));
  }

  @Test
  void vectorHasOneRowPerSeriesWithWellKnownLabelsFirst() throws IOException {
    String text = render("""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"ollama","instance":"node1:11434","service_id":"ollama_abc"},
           "value":[1700000000.5,"0"]},
          {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},
           "value":[1700000000.5,"1"]},
          {"metric":{"__name__":"up","job":"node","instance":"node2:9100","alpha":"x"},
           "value":[1700000000.5,"1"]}
        ]}}""");

    assertThat(text).isEqualTo("""
        __name__  job         instance        alpha  service_id  value
        up        node        node2:9100      x                  1
        up        ollama      node1:11434            ollama_abc  0
        up        prometheus  localhost:9090                     1
        """);
  }

  @Test
  void vectorWithoutLabelsIsJustValues() throws IOException {
    String text = render("""
        {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"3"]}]}}""");

    assertThat(text).isEqualTo("""
        value
        3
        """);
  }

  @Test
  void matrixHasOneRowPerSampleInTimeOrder() throws IOException {
    String text = render("""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"job":"prometheus","instance":"localhost:9090"},
           "values":[[1700000000,"1"],[1700000015,"1"]]},
          {"metric":{"job":"node","instance":"node2:9100"},
           "values":[[1700000000,"0"],[1700000000.25,"NaN"]]}
        ]}}""");

    assertThat(text).isEqualTo("""
        job         instance        timestamp                 value
        node        node2:9100      2023-11-14T22:13:20Z      0
        node        node2:9100      2023-11-14T22:13:20.250Z  NaN
        prometheus  localhost:9090  2023-11-14T22:13:20Z      1
        prometheus  localhost:9090  2023-11-14T22:13:35Z      1
        """);
  }

  @Test
  void emptyResultSaysNoData() throws IOException {
    assertThat(render("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
        .isEqualTo("(no data)\n");
    assertThat(render("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
        .isEqualTo("(no data)\n");
  }

  @Test
  void scalarAndStringAreASingleValue() throws IOException {
    assertThat(render("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"42.5\"]}}"))
        .isEqualTo("42.5\n");
    assertThat(render("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000,\"hello\"]}}"))
        .isEqualTo("hello\n");
  }
}
