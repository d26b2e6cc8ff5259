package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  private static final Instant T0 = Instant.parse("2025-03-04T12:00:00Z");
  private static final String EVIL = "<script>alert(1)</script>";
  private final ReportWriter writer = new ReportWriter();

  /** One target, two points of up, one metric of each other kind empty. */
  private static ReportData small(String job) {
    Map<String, String> labels = Map.of("job", job, "instance", "n1:9100");
    Series up = new Series(Map.of("__name__", "up", "job", job, "instance", "n1:9100"),
        List.of(new Sample(T0, "1"), new Sample(T0.plusMillis(15_500), "0")));
    List<ReportData.Metric> metrics = ReportCollector.METRICS.stream()
        .map(q -> new ReportData.Metric(q, q.name().equals("up") ? List.of(up) : List.of()))
        .toList();
    return new ReportData("prometheus_0a1b2c3d", T0.plusSeconds(60),
        new MonitorStatus("prometheus_0a1b2c3d", "running", "4300", List.of("node1"), 1741089590.5, Optional.empty()),
        new ReportWindow(T0, T0.plusSeconds(30), Duration.ofMillis(15_500)),
        List.of(new ReportData.Target(job, "n1:9100", TargetHealth.Health.DOWN, "EOF", labels, 1, 2)),
        metrics);
  }

  @Test
  void jsonHasTheDocumentedFields() {
    String json = writer.jsonText(small("node"));

    assertThat(json).startsWith("""
        {
          "report_version" : 1,
          "monitor_id" : "prometheus_0a1b2c3d",
          "generated_at" : 1741089660,
          "status" : {
            "status" : "running",
            "job_id" : "4300",
            "nodes" : [ "node1" ],
            "submitted_at" : 1741089590.5,
            "submitted_at_iso" : "2025-03-04T11:59:50.500Z",
            "started_at" : null,
            "started_at_iso" : null
          },
          "window" : {
            "start" : 1741089600,
            "end" : 1741089630,
            "step_s" : 15.5
          },
          "targets" : [ {
            "job" : "node",
            "instance" : "n1:9100",
            "health" : "down",
            "last_error" : "EOF",
            "labels" : {
              "instance" : "n1:9100",
              "job" : "node"
            },
            "availability" : 0.5,
            "up_samples" : 1,
            "samples" : 2
          } ],
          "metrics" : {
            "up" : {
              "title" : "Target up (1) or down (0)",
              "unit" : "",
              "query" : "up",
              "series" : [ {
                "labels" : {
                  "__name__" : "up",
                  "instance" : "n1:9100",
                  "job" : "node"
                },
                "samples" : [ [ 1741089600, "1" ], [ 1741089615.5, "0" ] ]
              } ]
            },
            "cpu" : {
              "title" : "Process CPU (cores used)",
              "unit" : "cores",
              "query" : "rate(process_cpu_seconds_total[1m])",
              "series" : [ ]
            },
        """);
    assertThat(json).contains("\"node_cpu\" : {", "\"memory\" : {", "\"scrape_duration\" : {",
        "\"probe_success\" : {");
  }

  @Test
  void htmlEscapesLabelsAndHasAPlotPerMetricWithSamples() {
    String html = writer.html(small(EVIL));

    assertThat(html).doesNotContain(EVIL);
    assertThat(html).contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
    assertThat(html).contains("<div class=\"plot\" data-metric=\"up\"></div>");
    assertThat(plotMetrics(html)).containsExactly("up");
    assertThat(html).contains("<p class=\"no-data\">No samples in the window.</p>");
    assertThat(html).contains("<title>Monitor report: prometheus_0a1b2c3d</title>");
    assertThat(html).contains("<tr><th>Started</th><td>not yet</td></tr>");
    assertThat(html).contains("<td class=\"num\">50.0 %</td>");
    assertThat(html).contains(
        "<code>sum by (job, instance) (rate(node_cpu_seconds_total{mode!=&quot;idle&quot;}[1m]))</code>");
  }

  @Test
  void htmlInlinesItsScriptsAndData() {
    String html = writer.html(small("node"));

    // Nothing the browser would fetch: no external script, stylesheet, import or CSS url().
    assertThat(html).doesNotContain(" src=", " href=", "<link", "@import", "url(");
    assertThat(html).contains("var uPlot=", "data-rendered", ".u-legend");
    assertThat(scripts(html)).isEqualTo(3);
  }

  @Test
  void embeddedJsonCannotCloseItsScriptElement() throws Exception {
    ReportData data = small(EVIL + "<!--&");
    String embedded = writer.scriptJson(data);

    assertThat(embedded).doesNotContain("<", ">", "&");
    assertThat(embedded).contains("\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E\\u003C!--\\u0026");
    JsonNode parsed = new ObjectMapper().readTree(embedded);
    assertThat(parsed.path("targets").get(0).path("job").asText()).isEqualTo(EVIL + "<!--&");
    assertThat(parsed).isEqualTo(new ObjectMapper().readTree(writer.jsonText(data)));
  }

  @Test
  void writesJsonAndHtmlBesideEachOther(@TempDir Path dir) throws Exception {
    List<Path> written = writer.write(small("node"), dir.resolve("session_1_report.json"));

    assertThat(written).containsExactly(dir.resolve("session_1_report.json"), dir.resolve("session_1_report.html"));
    assertThat(new ObjectMapper().readTree(Files.readString(written.get(0))).path("monitor_id").asText())
        .isEqualTo("prometheus_0a1b2c3d");
    assertThat(Files.readString(written.get(1))).startsWith("<!DOCTYPE html>");
    assertThat(writer.write(small("node"), dir.resolve("plain"))).containsExactly(
        dir.resolve("plain.json"), dir.resolve("plain.html"));
  }

  private static List<String> plotMetrics(String html) {
    Matcher m = Pattern.compile("class=\"plot\" data-metric=\"([^\"]*)\"").matcher(html);
    return m.results().map(r -> r.group(1)).toList();
  }

  private static long scripts(String html) {
    return Pattern.compile("<script[ >]").matcher(html).results().count();
  }
}
