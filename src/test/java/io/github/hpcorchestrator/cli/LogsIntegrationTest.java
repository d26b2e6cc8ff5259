package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.testbed.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --logs on the local backend, over real services and the CLI run as its own JVM. */
@Tag("integration")
class LogsIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  @TempDir Path dir;
  private LocalCli cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new LocalCli(dir);
  }

  @AfterEach
  void stopEverything() {
    cli.stopAll();
  }

  /** Starts a service that prints "first", waits for {@code flag}, prints "second" and exits. */
  private String startTalker(Path flag) throws Exception {
    Path recipe = Files.writeString(dir.resolve("talker.yaml"), """
        service:
          name: talker
          command: bash
          args: ["-c", "echo first; echo to-stderr >&2; for i in $(seq 600); do [ -e \\"$0\\" ] && break; sleep 0.1; done; echo second", "%s"]
        """.formatted(flag));
    return cli.json("--recipe", recipe.toString(), "--no-wait").at("/services/0/service_id").asText();
  }

  @Test
  void followStreamsTheOutputInOrderAndEndsWhenTheServiceExits() throws Exception {
    Path flag = dir.resolve("go");
    String id = startTalker(flag);
    Path out = dir.resolve("follow.out");
    Path err = dir.resolve("follow.err");
    Process follow = cli.start(dir, out, err, "--logs", id, "--follow");
    try {
      Await.value("'first' in the followed log", DEADLINE,
          () -> read(out).contains("first") ? Optional.of(true) : Optional.empty());
      assertThat(read(out)).doesNotContain("second");
      assertThat(follow.isAlive()).as("follow keeps running while the service does").isTrue();

      Files.createFile(flag);

      assertThat(follow.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("follow ends with the job").isTrue();
      assertThat(follow.exitValue()).as(read(err)).isZero();
      String text = read(out);
      assertThat(text).containsSubsequence("first", "second");
      // The job keeps stdout and stderr in one file: both are there, in the order written.
      assertThat(text).containsSubsequence("first", "to-stderr", "second");
    } finally {
      follow.destroyForcibly().waitFor();
    }
  }

  @Test
  void tailShowsTheLastLinesOfAnEndedService() throws Exception {
    Path recipe = Files.writeString(dir.resolve("counter.yaml"), """
        service:
          name: counter
          command: bash
          args: ["-c", "seq 1 5000"]
        """);
    String id = cli.json("--recipe", recipe.toString(), "--no-wait").at("/services/0/service_id").asText();
    Await.value("COMPLETED", DEADLINE, () -> cli.json("--status").toString().contains("COMPLETED")
        ? Optional.of(true) : Optional.empty());

    CliResult r = cli.run("--logs", id, "--tail", "3");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("4998\n4999\n5000\n");
    // Following an ended job prints what is there and returns.
    CliResult followed = cli.run("--logs", id, "--tail", "1", "--follow");
    assertThat(followed.code()).as(followed.err()).isZero();
    assertThat(followed.out()).isEqualTo("5000\n");
  }

  @Test
  void aServiceWhoseFolderIsGoneSaysWhereItsLogWas() throws Exception {
    Path recipe = Files.writeString(dir.resolve("quick.yaml"), """
        service:
          name: quick
          command: bash
          args: ["-c", "echo done"]
        """);
    String id = cli.json("--recipe", recipe.toString(), "--no-wait").at("/services/0/service_id").asText();
    Await.value("COMPLETED", DEADLINE, () -> cli.json("--status").toString().contains("COMPLETED")
        ? Optional.of(true) : Optional.empty());
    Path log = dir.resolve("state/services").resolve(id).resolve("service.log");
    Files.delete(log);

    CliResult r = cli.run("--logs", id);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("the log of " + id + " was " + log).contains("it is gone").doesNotContain("at io.");
  }

  @Test
  void aSidecarsLogIsItsOwn() throws Exception {
    Path recipe = Files.writeString(dir.resolve("worker.yaml"), String.join("\n",
        "service:",
        "  name: worker",
        "  command: bash",
        "  args: [\"-c\", \"echo worker-line; sleep 300\"]",
        "  exporters: [node]", ""));
    String id = cli.json("--recipe", recipe.toString()).at("/services/0/service_id").asText();

    String sidecar = Await.value("the node exporter's log", DEADLINE, () -> {
      CliResult r = cli.run("--logs", id, "--sidecar", "node");
      return r.code() == 0 && !r.out().isBlank() ? Optional.of(r.out()) : Optional.empty();
    });
    CliResult own = cli.run("--logs", id);
    CliResult none = cli.run("--logs", id, "--sidecar", "gpu");

    assertThat(sidecar).doesNotContain("worker-line");
    assertThat(own.out()).contains("worker-line");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("is RUNNING and has no log at").contains("sidecar-gpu.log");
  }

  @Test
  void badTailAndJsonOutputAreUsageErrors() throws Exception {
    String id = startTalker(dir.resolve("never"));

    CliResult negative = cli.run("--logs", id, "--tail", "-1");
    CliResult json = cli.run("--logs", id, "--output", "json");

    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("--tail: expected 0-100000 lines, found -1");
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.err()).contains("--logs: only --output text applies");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
