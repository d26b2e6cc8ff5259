package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileSdWriterTest {

  private final FileSdWriter writer = new FileSdWriter();

  @Test
  void rendersTargetGroupsWithSortedLabels() {
    String json = writer.write(List.of(
        new StaticConfig(List.of("node1:11434"), Map.of("service_id", "ollama_abc123", "job_id", "3653331")),
        StaticConfig.of("node2:9100")));

    assertThat(json).isEqualTo("""
        [ {
          "targets" : [ "node1:11434" ],
          "labels" : {
            "job_id" : "3653331",
            "service_id" : "ollama_abc123"
          }
        }, {
          "targets" : [ "node2:9100" ]
        } ]
        """);
  }

  @Test
  void emptyListIsAValidFile() {
    assertThat(writer.write(List.of())).isEqualTo("[ ]\n");
  }
}
