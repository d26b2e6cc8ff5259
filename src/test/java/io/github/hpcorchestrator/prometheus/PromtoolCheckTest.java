package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromtoolCheckTest {

  private final PrometheusConfigWriter writer = new PrometheusConfigWriter();

  private static PromtoolCheck realPromtool() {
    PromtoolCheck check = PromtoolCheck.onPath();
    assumeTrue(check.promtool().isPresent(), "promtool is not on PATH");
    return check;
  }

  @Test
  void acceptsCanonicalConfigWithStaticAndFileSdJobs() {
    PrometheusConfig config = PrometheusConfig.forService("localhost:9090", Duration.ofSeconds(15), List.of(
        ScrapeConfig.ofStatic("node", List.of("node1:9100")),
        ScrapeConfig.ofFileSd("services", new FileSdConfig(List.of("targets/*.json"),
            Optional.of(Duration.ofSeconds(30))))));

    PromtoolResult result = realPromtool().check(writer.write(config));

    assertThat(result.outcome()).as(result.output()).isEqualTo(PromtoolResult.Outcome.VALID);
    assertThat(result.ok()).isTrue();
  }

  @Test
  void rejectsBrokenConfigWithPromtoolsMessage() {
    String broken = """
        global:
          scrape_interval: 15x
        """;

    PromtoolResult result = realPromtool().check(broken);

    assertThat(result.outcome()).isEqualTo(PromtoolResult.Outcome.INVALID);
    assertThat(result.output()).contains("FAILED").contains("not a valid duration string: \"15x\"");
  }

  @Test
  void missingPromtoolIsAResultNotAnException() {
    PromtoolResult result = new PromtoolCheck(Optional.empty(), Duration.ofSeconds(5)).check("global: {}\n");

    assertThat(result.outcome()).isEqualTo(PromtoolResult.Outcome.NOT_FOUND);
    assertThat(result.output()).isEqualTo("promtool not found");
  }

  @Test
  void findsExecutableOnlyInPathFolders(@TempDir Path tmp) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path tool = Files.createFile(bin.resolve("promtool"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    assertThat(PromtoolCheck.findExecutable("promtool", tmp + ":" + bin)).contains(tool);
    assertThat(PromtoolCheck.findExecutable("promtool", tmp.toString())).isEmpty();
    assertThat(PromtoolCheck.findExecutable("promtool", null)).isEmpty();
  }
}
