package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4: a window save needs no heap for the window. A JVM with a 32 MB heap saves a
 * window whose one piece is 128 MB; held whole (as a JSON tree, as before) it could not.
 */
class WindowSaveMemoryTest {
  @Test
  void aWindowFourTimesTheHeapIsSavedInAFixedHeap(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("session-metrics.json");
    Path log = dir.resolve("check.log");
    Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        WindowSaveMemoryCheck.class.getName(), file.toString(), "128")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();

    assertThat(check.waitFor(180, TimeUnit.SECONDS)).as("the check finished").isTrue();
    assertThat(check.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.size(file)).isGreaterThan(128L * 1024 * 1024);
    List<String> head = Files.readAllLines(file).subList(0, 8);
    assertThat(head).contains("  \"queries\" : {", "    \"up\" : {");
  }
}
