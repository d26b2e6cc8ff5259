package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.transport.LocalShell;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LogReader over a real local shell: tails and chunked reads of real files, huge ones included. */
class LogReaderTest {
  @TempDir Path dir;
  private final LocalShell shell = new LocalShell();
  private final LogReader reader = new LogReader(shell);

  @AfterEach
  void close() {
    shell.close();
  }

  private static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
  }

  @Test
  void tailOfASmallLogIsItsLastLinesAndEndsAtItsSize() throws Exception {
    Path log = Files.writeString(dir.resolve("service.log"), lines(1, 5));

    LogReader.Chunk tail = reader.tail(log.toString(), 3).orElseThrow();

    assertThat(tail.text()).isEqualTo(lines(3, 5));
    assertThat(tail.next()).isEqualTo(Files.size(log));
    assertThat(reader.tail(log.toString(), 100).orElseThrow().text()).isEqualTo(lines(1, 5));
    assertThat(reader.tail(log.toString(), 0).orElseThrow().text()).isEmpty();
  }

  @Test
  void aMissingLogIsEmptyNotAnError() {
    assertThat(reader.tail(dir.resolve("gone.log").toString(), 10)).isEmpty();
    assertThat(reader.read(dir.resolve("gone.log").toString(), 0)).isEmpty();
  }

  @Test
  void tailOfAHugeLogReadsOnlyItsEndQuickly() throws Exception {
    Path log = dir.resolve("huge.log");
    // 4 GiB, sparse: only the window at the end may be read, or this takes minutes and the memory of the JVM.
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
      file.setLength(4L << 30);
    }
    Files.writeString(log, "\n" + lines(1, 500), StandardOpenOption.APPEND);
    long started = System.nanoTime();

    LogReader.Chunk tail = reader.tail(log.toString(), 100).orElseThrow();

    assertThat(System.nanoTime() - started).as("nanoseconds to tail a 4 GiB log").isLessThan(10_000_000_000L);
    assertThat(tail.text()).isEqualTo(lines(401, 500));
    assertThat(tail.next()).isEqualTo(Files.size(log));
  }

  @Test
  void tailOfLinesLongerThanTheWindowIsBoundedByTheWindow() throws Exception {
    Path log = dir.resolve("one-line.log");
    Files.writeString(log, "x".repeat(3 * LogReader.TAIL_WINDOW) + "\nlast\n");

    LogReader.Chunk tail = reader.tail(log.toString(), 10).orElseThrow();

    // The line cut by the window's start is dropped rather than shown in part.
    assertThat(tail.text()).isEqualTo("last\n");
  }

  @Test
  void readsComeInCappedChunksThatAddUpToTheFile() throws Exception {
    Path log = dir.resolve("big.log");
    String content = lines(1, 60_000); // about 600 KiB: three reads
    Files.writeString(log, content);
    StringBuilder seen = new StringBuilder();
    long offset = 0;
    int reads = 0;
    LogReader.Chunk chunk;
    while ((chunk = reader.read(log.toString(), offset).orElseThrow()).next() != offset) {
      assertThat(chunk.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LogReader.MAX_CHUNK);
      seen.append(chunk.text());
      offset = chunk.next();
      reads++;
    }

    assertThat(seen.toString()).isEqualTo(content);
    assertThat(reads).isEqualTo((int) ((content.length() + LogReader.MAX_CHUNK - 1) / LogReader.MAX_CHUNK));
  }

  @Test
  void aPathWithShellCharactersIsReadAsAPath() throws Exception {
    Path log = Files.writeString(dir.resolve("it's $(x) `y`.log"), "ok\n");

    assertThat(reader.tail(log.toString(), 5).orElseThrow().text()).isEqualTo("ok\n");
  }
}
