package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a written HTML report in headless Chromium (Debian's {@code chromium}) and checks that
 * every chart drew. Installs Chromium with apt-get when running as root without it; skipped when
 * it cannot be had. Set {@code -Dreport.it.dir=DIR} to keep the page, DOM and screenshot.
 */
@Tag("integration")
class ReportHtmlChromiumIntegrationTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern PLOT_TAG = Pattern.compile("<div [^>]*class=\"plot\"[^>]*>");

  @TempDir static Path tmp;
  private static Path dir;
  private static Path html;
  private static ReportData data;

  @BeforeAll
  static void writeReport() throws Exception {
    assumeTrue(chromiumAvailable(), "no " + CHROMIUM + " and it could not be installed");
    String keep = System.getProperty("report.it.dir", "");
    dir = keep.isEmpty() ? tmp : Files.createDirectories(Path.of(keep).toAbsolutePath());
    data = ReportFixtures.data();
    html = new ReportWriter().write(data, dir.resolve("report")).get(1);
  }

  @Test
  void everyPlotRendersWithACanvas() throws Exception {
    String dom = chromium("--dump-dom", html.toUri().toString());
    Files.writeString(dir.resolve("report.dom.html"), dom);

    List<String> expected = data.metrics().stream().filter(m -> !m.series().isEmpty())
        .map(m -> m.query().name()).toList();
    assertThat(expected).containsExactly("up", "cpu", "memory", "scrape_duration");

    Matcher tags = PLOT_TAG.matcher(dom);
    List<Integer> starts = new ArrayList<>();
    List<String> openings = new ArrayList<>();
    while (tags.find()) {
      starts.add(tags.start());
      openings.add(tags.group());
    }
    assertThat(openings).hasSize(expected.size());
    for (int i = 0; i < openings.size(); i++) {
      String metric = expected.get(i);
      assertThat(openings.get(i)).contains("data-metric=\"" + metric + "\"").contains("data-rendered=\"true\"")
          .doesNotContain("data-render-error");
      String body = dom.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : dom.length());
      assertThat(body).as("chart of %s", metric).contains("<canvas");
      // uPlot's legend names each target's line job/instance.
      assertThat(body).contains("prometheus/localhost:9090", "node/node1:9100");
    }
  }

  @Test
  void screenshotShowsThePage() throws Exception {
    Path png = dir.resolve("report.png");
    chromium("--screenshot=" + png, "--window-size=1200,2000", "--hide-scrollbars", html.toUri().toString());

    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  private static String chromium(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile"),
        "--virtual-time-budget=5000"));
    argv.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "chromium", ".out");
    Path err = Files.createTempFile(tmp, "chromium", ".err");
    Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
    }
    assertThat(p.exitValue()).as("chromium exit status; stderr:%n%s", Files.readString(err)).isZero();
    return Files.readString(out);
  }

  /** Chromium is there, or this root machine could install Debian's package. */
  private static boolean chromiumAvailable() throws IOException, InterruptedException {
    if (Files.isExecutable(CHROMIUM)) {
      return true;
    }
    if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return false;
    }
    if (apt("install", "-y", "-q", "chromium") != 0) {
      apt("update", "-q");
      apt("install", "-y", "-q", "chromium");
    }
    return Files.isExecutable(CHROMIUM);
  }

  private static int apt(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("apt-get"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
