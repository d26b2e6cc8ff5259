package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqueueParserTest {

  @Test
  void parsesRowsWithReasonsNodesAndNames() {
    String out = """
        2|PENDING|BeginTime||2026-11-28T15:06:19|test_0123abcd|/r/services/test_0123abcd
        1|RUNNING|None|cn[1-2]|2026-11-28T14:06:19|prom_0123abcd|/r/services/a|b
        3|FAILED|NonZeroExitCode|cn1|2026-11-28T14:06:19|odd|name|/r/services/odd

        garbage
        """;
    List<SqueueParser.Row> rows = SqueueParser.parse(out);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).isEqualTo(new SqueueParser.Row("2", "PENDING", "BeginTime", List.of(),
        "2026-11-28T15:06:19", "test_0123abcd", "/r/services/test_0123abcd"));
    assertThat(rows.get(1).nodes()).containsExactly("cn1", "cn2");
    // The work folder takes the rest of the line; a name with the delimiter spoils only that.
    assertThat(rows.get(1).workDir()).isEqualTo("/r/services/a|b");
    assertThat(rows.get(2).name()).isEqualTo("odd");
    assertThat(rows.get(2).workDir()).isEqualTo("name|/r/services/odd");
    assertThat(rows.get(2).state()).isEqualTo("FAILED");
  }

  @Test
  void parsesSacctAndSkipsSteps() {
    String out = """
        7|FAILED|3:0|cn1|2026-11-28T14:06:19|boom_0123abcd
        7.batch|FAILED|3:0|cn1|2026-11-28T14:06:19|batch
        8|CANCELLED by 0|0:15|cn[2-3]|2026-11-28T14:06:20|x_0123abcd
        9|PENDING|0:0|None assigned|Unknown|y_0123abcd
        """;
    List<SacctParser.Row> rows = SacctParser.parse(out);
    assertThat(rows).extracting(SacctParser.Row::jobId).containsExactly("7", "8", "9");
    assertThat(rows.get(0).exitCode()).contains(3);
    assertThat(rows.get(1).exitCode()).contains(143);
    assertThat(rows.get(1).nodes()).containsExactly("cn2", "cn3");
    assertThat(rows.get(2).nodes()).isEmpty();
    assertThat(SacctParser.exitCode("junk")).isEqualTo(Optional.empty());
  }
}
