package io.github.hpcorchestrator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No source file of src/main, src/test or the benchmarks (bench/src) is over 400 lines (STYLE.md). */
class FileLengthTest {
  private static final int LIMIT = 400;

  @Test
  void noSourceFileIsOverTheLimit() throws IOException {
    Map<String, Long> tooLong = new TreeMap<>();
    try (Stream<Path> files = Stream.of("src/main", "src/test", "bench/src").map(Path::of).flatMap(FileLengthTest::walk)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String name = file.toString().replace('\\', '/');
        long lines;
        try (Stream<String> text = Files.lines(file)) {
          lines = text.count();
        }
        if (lines > LIMIT) {
          tooLong.put(name, lines);
        }
      }
    }
    assertThat(tooLong).as("files over %d lines", LIMIT).isEmpty();
  }

  private static Stream<Path> walk(Path root) {
    try {
      return Files.walk(root);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
