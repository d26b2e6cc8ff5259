package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real Prometheus binary with a config from {@link PrometheusConfigWriter} and queries it. */
@Tag("integration")
class PrometheusServerIntegrationTest {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Duration POLL_EVERY = Duration.ofMillis(150);

  @TempDir Path dir;

  @Test
  void startsScrapesItselfAndAnswersQueries() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "no Prometheus at " + PROMETHEUS);
    int port = freePort();
    String self = "127.0.0.1:" + port;
    String config = new PrometheusConfigWriter().write(
        PrometheusConfig.forService(self, Duration.ofSeconds(1), List.of()));
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    Path log = dir.resolve("prometheus.log");

    Process prometheus = new ProcessBuilder(List.of(PROMETHEUS.toString(),
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=" + self))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      PrometheusClient client = PrometheusClient.of(URI.create("http://" + self));

      awaitTrue("Prometheus ready", prometheus, log, client::ready);
      awaitPresent("up{job=\"prometheus\"} == 1", prometheus, log, () -> selfUp(client));

      List<TargetHealth> targets = client.activeTargets();
      assertThat(targets).hasSize(1);
      TargetHealth target = targets.get(0);
      assertThat(target.job()).isEqualTo("prometheus");
      assertThat(target.instance()).isEqualTo(self);
      assertThat(target.scrapeUrl()).isEqualTo("http://" + self + "/metrics");
      assertThat(target.health()).isEqualTo(TargetHealth.Health.UP);
      assertThat(target.lastScrape()).isPresent();
      assertThat(target.lastError()).isEmpty();

      QueryResult range = client.queryRange("up", Instant.now().minusSeconds(30), Instant.now(), Duration.ofSeconds(1));
      assertThat(range.resultType()).isEqualTo(ResultType.MATRIX);
      assertThat(new QueryResultTable().render(range)).startsWith("__name__  job         instance");

      assertThatThrownBy(() -> client.query("up{"))
          .isInstanceOf(OperationFailedException.class)
          .hasMessageStartingWith("PromQL error (bad_data): ");
    } finally {
      stop(prometheus);
    }
  }

  /** The self-scrape's sample once Prometheus has scraped itself successfully. */
  private static Optional<Sample> selfUp(PrometheusClient client) {
    return client.query("up").series().stream()
        .filter(s -> "prometheus".equals(s.metric().get("job")))
        .flatMap(s -> s.samples().stream())
        .filter(sample -> sample.value().equals("1"))
        .findFirst();
  }

  private static void awaitTrue(String what, Process process, Path log, Supplier<Boolean> condition)
      throws Exception {
    awaitPresent(what, process, log, () -> condition.get() ? Optional.of(true) : Optional.empty());
  }

  /** Polls until {@code condition} yields a value; fails early if Prometheus exits. */
  private static <T> T awaitPresent(String what, Process process, Path log, Supplier<Optional<T>> condition)
      throws Exception {
    Instant deadline = Instant.now().plus(START_DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        fail("Prometheus exited with " + process.exitValue() + " before " + what + ":\n" + Files.readString(log));
      }
      Optional<T> value = condition.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(POLL_EVERY.toMillis());
    }
    return fail("no " + what + " within " + START_DEADLINE.toSeconds() + " s:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
