package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.ResultType;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedMetricsWriterTest {
  private static final Instant T0 = Instant.parse("2025-03-04T12:00:00Z");
  private static final ReportWindow WINDOW = new ReportWindow(T0, T0.plusSeconds(30), Duration.ofSeconds(15));

  @Test
  void keepsPrometheusResponsesAsSentSortedByQuery(@TempDir Path dir) throws Exception {
    String raw = """
        {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"j"},"values":[[1741089600.5,"0.25"]]}]},"warnings":["w"]}""";
    Map<String, QueryResult> answers = new LinkedHashMap<>();
    answers.put("z_metric", QueryResult.fromResponse(new ObjectMapper().readTree(raw)));
    answers.put("up", new QueryResult(ResultType.MATRIX,
        List.of(new Series(Map.of("job", "j"), List.of(new Sample(T0, "1")))), null));

    SavedMetricsWriter.write(dir.resolve("saved.json"), WINDOW, answers);

    assertThat(Files.readString(dir.resolve("saved.json"))).isEqualTo("""
        {
          "window" : {
            "start" : 1741089600,
            "end" : 1741089630,
            "step_s" : 15
          },
          "queries" : {
        """ + savedQuery("up", "[ [ 1741089600, \"1\" ] ]", "", ",")
        + savedQuery("z_metric", "[ [ 1741089600.5, \"0.25\" ] ]", ",\n      \"warnings\" : [ \"w\" ]", "") + """
          }
        }
        """);
  }

  /** One query of a job-"j" matrix as the file pretty-prints it under "queries", with what follows its data. */
  private static String savedQuery(String name, String values, String afterData, String afterQuery) {
    return """
            "%s" : {
              "status" : "success",
              "data" : {
                "resultType" : "matrix",
                "result" : [ {
                  "metric" : {
                    "job" : "j"
                  },
                  "values" : %s
                } ]
              }%s
            }%s
        """.formatted(name, values, afterData, afterQuery);
  }
}
