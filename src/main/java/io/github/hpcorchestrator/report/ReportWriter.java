package io.github.hpcorchestrator.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.status.MonitorStatusJson;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a {@link ReportData} as {@code NAME.json} for scripts and {@code NAME.html} for people.
 *
 * <p>The JSON document, all names snake_case, times in epoch seconds:
 *
 * <pre>{@code
 * {
 *   "report_version": 1,
 *   "monitor_id": "prometheus_0a1b2c3d",
 *   "generated_at": 1700003700,
 *   "status": {"status": "running", "job_id": "4300", "nodes": ["node1"],
 *              "submitted_at": 1699999990, "started_at": 1700000000},   // started_at null until it ran
 *   "window": {"start": 1700000000, "end": 1700003600, "step_s": 4},
 *   "targets": [{"job": "node", "instance": "node1:9100", "health": "up", "last_error": "",
 *                "labels": {...}, "availability": 0.99, "up_samples": 891, "samples": 900}],
 *                // availability: fraction of up samples that were 1; null without samples
 *   "metrics": {
 *     "up": {"title": "...", "unit": "", "query": "up",
 *            "series": [{"labels": {"job": "node", ...}, "samples": [[1700000000, "1"], ...]}]},
 *     "cpu": ..., "node_cpu": ..., "memory": ..., "scrape_duration": ..., "probe_success": ...
 *   }
 * }
 * }</pre>
 *
 * <p>Sample values are strings exactly as Prometheus wrote them ("0.25", "NaN", "+Inf"). Metric
 * units are {@code bytes}, {@code seconds}, {@code cores} or empty; a metric without samples has
 * an empty {@code series} list. See {@link ReportCollector#METRICS} for the queries.
 *
 * <p>The HTML page is one self-contained file that needs no network: status and target tables,
 * then one uPlot chart per metric that has samples, drawn from the same JSON inlined in the page.
 * Each chart's container is {@code <div class="plot" data-metric="NAME">} and gets
 * {@code data-rendered="true"} once drawn ({@code data-render-error} if drawing failed).
 */
public final class ReportWriter {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/";
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final ObjectMapper mapper = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  /**
   * Writes {@code base.json} and {@code base.html} (mode 0644), together or not at all: the HTML
   * page goes into place first and the JSON last, as the commit marker, so an HTML page without
   * its JSON is an unfinished write. A {@code .json} or {@code .html} ending of {@code base} is
   * dropped first, so {@code report.json} gives the same two files.
   *
   * @return the JSON file, then the HTML file
   */
  public List<Path> write(ReportData data, Path base) {
    String name = base.getFileName().toString().replaceFirst("\\.(json|html)$", "");
    Path json = base.resolveSibling(name + ".json");
    Path html = base.resolveSibling(name + ".html");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(html, html(data).getBytes(StandardCharsets.UTF_8));
    files.put(json, (jsonText(data) + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicFiles.writeTogether(files, 0644);
    return List.of(json, html);
  }

  /** The report's JSON text, pretty-printed. */
  public String jsonText(ReportData data) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json(data));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The report's JSON document (see the class comment). */
  public ObjectNode json(ReportData data) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("report_version", 1);
    root.put("monitor_id", data.monitorId());
    root.put("generated_at", ReportWindow.epochSeconds(data.generatedAt()));
    MonitorStatusJson.write(data.status(), root.putObject("status"));
    ObjectNode window = root.putObject("window");
    window.put("start", ReportWindow.epochSeconds(data.window().start()));
    window.put("end", ReportWindow.epochSeconds(data.window().end()));
    window.put("step_s", ReportWindow.seconds(data.window().step().toMillis()));
    ArrayNode targets = root.putArray("targets");
    for (ReportData.Target t : data.targets()) {
      ObjectNode target = targets.addObject();
      target.put("job", t.job());
      target.put("instance", t.instance());
      target.put("health", t.health().name().toLowerCase(Locale.ROOT));
      target.put("last_error", t.lastError());
      labels(target.putObject("labels"), t.labels());
      if (t.availability().isPresent()) {
        target.put("availability", t.availability().get());
      } else {
        target.putNull("availability");
      }
      target.put("up_samples", t.upSamples());
      target.put("samples", t.samples());
    }
    ObjectNode metrics = root.putObject("metrics");
    for (ReportData.Metric m : data.metrics()) {
      ObjectNode metric = metrics.putObject(m.query().name());
      metric.put("title", m.query().title());
      metric.put("unit", m.query().unit());
      metric.put("query", m.query().promql());
      ArrayNode series = metric.putArray("series");
      for (Series s2 : m.series()) {
        ObjectNode one = series.addObject();
        labels(one.putObject("labels"), s2.metric());
        ArrayNode samples = one.putArray("samples");
        for (Sample sample : s2.samples()) {
          samples.addArray().add(ReportWindow.epochSeconds(sample.timestamp())).add(sample.value());
        }
      }
    }
    return root;
  }

  private static void labels(ObjectNode into, Map<String, String> labels) {
    labels.forEach(into::put);
  }

  /** The self-contained HTML page. */
  public String html(ReportData data) {
    Html h = new Html();
    String title = "Monitor report: " + data.monitorId();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .raw("<title>").text(title).raw("</title>\n")
        .raw("<style>\n").raw(script(uplotResource("dist/uPlot.min.css"))).raw("\n")
        .raw(script(ownResource("report.css"))).raw("</style>\n</head>\n<body>\n");

    h.raw("<header>\n<h1>").text(title).raw("</h1>\n<p class=\"meta\">Window ")
        .text(TIME.format(data.window().start())).raw(" to ").text(TIME.format(data.window().end()))
        .raw(", one point every ").text(ReportWindow.seconds(data.window().step().toMillis()).toPlainString())
        .raw(" s. Generated ").text(TIME.format(data.generatedAt())).raw(".</p>\n</header>\n");

    MonitorStatus s = data.status();
    h.raw("<section>\n<h2>Monitor</h2>\n<table class=\"status\">\n");
    row(h, "Status", s.status());
    row(h, "Job ID", s.jobId());
    row(h, "Nodes", String.join(", ", s.nodes()));
    row(h, "Submitted", TIME.format(epoch(s.submittedAt())));
    row(h, "Started", s.startedAt().map(t -> TIME.format(epoch(t))).orElse("not yet"));
    h.raw("</table>\n</section>\n");

    h.raw("<section>\n<h2>Targets</h2>\n");
    if (data.targets().isEmpty()) {
      h.raw("<p class=\"no-data\">No targets.</p>\n");
    } else {
      h.raw("<table class=\"targets\">\n<thead><tr><th>Job</th><th>Instance</th><th>Health</th>")
          .raw("<th>Availability</th><th>Up samples</th><th>Last error</th></tr></thead>\n<tbody>\n");
      for (ReportData.Target t : data.targets()) {
        String health = t.health().name().toLowerCase(Locale.ROOT);
        h.raw("<tr><td>").text(t.job()).raw("</td><td>").text(t.instance())
            .raw("</td><td class=\"health ").text(health).raw("\">").text(health)
            .raw("</td><td class=\"num\">").text(t.availability().map(a -> String.format(Locale.ROOT, "%.1f %%", a * 100))
                .orElse("no samples"))
            .raw("</td><td class=\"num\">").text(t.upSamples() + " / " + t.samples())
            .raw("</td><td class=\"error\">").text(t.lastError()).raw("</td></tr>\n");
      }
      h.raw("</tbody>\n</table>\n");
    }
    h.raw("</section>\n");

    h.raw("<section>\n<h2>Metrics</h2>\n");
    for (ReportData.Metric m : data.metrics()) {
      h.raw("<div class=\"metric\">\n<h3>").text(m.query().title()).raw("</h3>\n<p class=\"query\"><code>")
          .text(m.query().promql()).raw("</code></p>\n");
      if (m.series().stream().allMatch(x -> x.samples().isEmpty())) {
        h.raw("<p class=\"no-data\">No samples in the window.</p>\n");
      } else {
        h.raw("<div class=\"plot\" data-metric=\"").text(m.query().name()).raw("\"></div>\n");
      }
      h.raw("</div>\n");
    }
    h.raw("</section>\n");

    h.raw("<script type=\"application/json\" id=\"report-data\">").raw(scriptJson(data)).raw("</script>\n")
        .raw("<script>\n").raw(script(uplotResource("dist/uPlot.iife.min.js"))).raw("\n</script>\n")
        .raw("<script>\n").raw(script(ownResource("report.js"))).raw("</script>\n")
        .raw("</body>\n</html>\n");
    return h.toString();
  }

  private static void row(Html h, String name, String value) {
    h.raw("<tr><th>").text(name).raw("</th><td>").text(value).raw("</td></tr>\n");
  }

  private static Instant epoch(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }

  /**
   * The report JSON for a script element: compact, with {@code <}, {@code >} and {@code &} as
   * {@code \u003c}-style escapes, so no label can close the element or open a comment.
   */
  String scriptJson(ReportData data) {
    try {
      return mapper.writer().with(new ScriptSafeEscapes()).writeValueAsString(json(data));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Inlined code must not end its own script or style element early. */
  private static String script(String code) {
    String lower = code.toLowerCase(Locale.ROOT);
    if (lower.contains("</script") || lower.contains("</style") || lower.contains("<!--")) {
      throw new IllegalStateException("inlined code contains an HTML end tag or comment");
    }
    return code;
  }

  private static String uplotResource(String file) {
    Properties pom = new Properties();
    try (InputStream in = resource(UPLOT_POM)) {
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return read(UPLOT + pom.getProperty("version") + "/" + file);
  }

  private static String ownResource(String file) {
    return read("io/github/hpcorchestrator/report/" + file);
  }

  private static String read(String path) {
    try (InputStream in = resource(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = ReportWriter.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing from the classpath: " + path);
    }
    return in;
  }

  /** Appends markup as given and text escaped for element content and quoted attributes. */
  private static final class Html {
    private final StringBuilder out = new StringBuilder(1 << 16);

    Html raw(String markup) {
      out.append(markup);
      return this;
    }

    Html text(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '&' -> out.append("&amp;");
          case '<' -> out.append("&lt;");
          case '>' -> out.append("&gt;");
          case '"' -> out.append("&quot;");
          case '\'' -> out.append("&#39;");
          default -> out.append(c);
        }
      }
      return this;
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }

  /** JSON escapes that keep a document inert inside an HTML script element. */
  private static final class ScriptSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    ScriptSafeEscapes() {
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
