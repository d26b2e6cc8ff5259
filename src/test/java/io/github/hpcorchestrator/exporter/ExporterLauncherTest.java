package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExporterLauncherTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ExporterLauncher launcher =
      new ExporterLauncher("usage: test", Set.of(), Set.of(), options -> MetricSnapshots::new);

  private int run(CountDownLatch stop, String... args) {
    return launcher.run(new PrintWriter(out, true), new PrintWriter(err, true), stop, args);
  }

  @Test
  void helpPrintsUsage() {
    assertThat(run(new CountDownLatch(0), "--help")).isZero();
    assertThat(out).hasToString("usage: test\n");
  }

  @Test
  void usageErrorIsExitCode2() {
    assertThat(run(new CountDownLatch(0), "--listen", "127.0.0.1:0", "--bogus")).isEqualTo(2);
    assertThat(err).hasToString("error: unknown option --bogus\nusage: test\n");
  }

  @Test
  void portInUseIsExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(run(new CountDownLatch(0), "--listen", "127.0.0.1:" + taken.getLocalPort())).isEqualTo(1);
      assertThat(err.toString()).startsWith("error: cannot listen: java.net.BindException");
    }
  }

  @Test
  void servesUntilStopped() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run(stop, "--listen", "127.0.0.1:0"));
    while (!out.toString().contains("\n") && !code.isDone()) {
      Thread.onSpinWait();
    }
    assertThat(out.toString()).matches("serving http://127\\.0\\.0\\.1:\\d+/metrics\n");

    stop.countDown();

    assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
  }
}
