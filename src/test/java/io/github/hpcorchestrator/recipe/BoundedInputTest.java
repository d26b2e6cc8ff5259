package io.github.hpcorchestrator.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 item 5: recipe and config files are regular files of bounded size whose expansion is
 * bounded too, and a file that is no recipe or config is not echoed. Each case runs through both
 * loaders, since both read through {@link YamlDocument}.
 */
class BoundedInputTest {
  // Generous for a loaded 2-core machine; the old code took 94 s (bomb) and 11 s (4 MB scalar).
  private static final Duration FAST = Duration.ofSeconds(10);

  @TempDir Path dir;

  static Stream<Arguments> loaders() {
    Consumer<Path> recipe = new RecipeLoader()::load;
    Consumer<Path> config = new ConfigLoader(Path.of("/home/alice"))::load;
    return Stream.of(Arguments.of("recipe", recipe), Arguments.of("config", config));
  }

  private static InputException rejected(Consumer<Path> loader, Path file) {
    return assertTimeoutPreemptively(FAST, () -> {
      try {
        loader.accept(file);
      } catch (InputException e) {
        return e;
      }
      throw new AssertionError(file + " was accepted");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void aFifoIsRejectedWithoutWaitingForAWriter(String kind, Consumer<Path> loader) throws Exception {
    Path fifo = dir.resolve("fifo.yaml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();

    assertThat(rejected(loader, fifo)).hasMessage(fifo + ": not a regular file (a FIFO, device or socket),"
        + " expected a YAML file");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void devZeroIsRejectedWithoutReadingIt(String kind, Consumer<Path> loader) {
    Path zero = Path.of("/dev/zero");

    assertThat(rejected(loader, zero)).hasMessage("/dev/zero: not a regular file (a FIFO, device or socket),"
        + " expected a YAML file");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void aDirectoryIsRejected(String kind, Consumer<Path> loader) {
    assertThat(rejected(loader, dir)).hasMessage(dir + ": is a directory, expected a YAML file");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void aSymlinkToASecretFileDoesNotEchoIt(String kind, Consumer<Path> loader) throws IOException {
    // The first line of /etc/shadow, as a recipe or config that links to it would show it.
    Path shadow = Files.writeString(dir.resolve("shadow"),
        "root:$6$Kx9.Secret.Salt$VerySecretHashValue0123456789:19700:0:99999:7:::\n"
            + "daemon:*:19700:0:99999:7:::\n");
    Path link = Files.createSymbolicLink(dir.resolve(kind + ".yaml"), shadow);

    InputException e = rejected(loader, link);

    assertThat(e.getMessage()).startsWith(link + ":1: not a recipe or config file")
        .doesNotContain("Secret").doesNotContain("root").doesNotContain("daemon").doesNotContain("\n");
  }

  @Test
  void aMisspeltTopLevelKeyIsStillNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("r.yaml"), "servce:\n  name: a\n");

    assertThat(rejected(new RecipeLoader()::load, file))
        .hasMessage(file + ":1: unknown key 'servce', did you mean 'service'?");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void anAnchorUsedManyTimesAsAScalarIsRejectedFast(String kind, Consumer<Path> loader) throws IOException {
    // 100 KB written once and used 20,000 times: 2 GB once written out. SnakeYAML's alias limit
    // counts collections only.
    StringBuilder yaml = new StringBuilder("service:\n  name: x\n  command: /bin/true\n  args: [&a \"")
        .append("a".repeat(100_000)).append('"');
    yaml.append(", *a".repeat(20_000)).append("]\n");
    Path file = Files.writeString(dir.resolve("bomb.yaml"), kind.equals("recipe") ? yaml
        : yaml.toString().replace("service:\n  name: x\n  command: /bin/true\n  args:", "remote_dir:"));

    assertThat(rejected(loader, file)).hasMessageStartingWith(file + ":")
        .hasMessageEndingWith("aliases expand the document beyond the limit of "
            + YamlDocument.MAX_EXPANDED_SIZE + " characters (scalars written out in full)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void aFileOverTheSizeLimitIsRejectedBeforeItIsRead(String kind, Consumer<Path> loader) throws IOException {
    Path file = Files.writeString(dir.resolve("big.yaml"), "service: " + "a".repeat(4_000_000) + "\n");

    assertThat(rejected(loader, file)).hasMessage(file + ": larger than the limit of "
        + YamlDocument.MAX_FILE_BYTES + " bytes for a YAML file");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void theLimitHoldsWhileReadingAFileLargerThanItsSizeSays(String kind, Consumer<Path> loader) {
    // /proc files say 0 bytes and hold more: as a file that grows after its size was read.
    Path kallsyms = Path.of("/proc/kallsyms");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(kallsyms), "no readable /proc/kallsyms");

    assertThat(rejected(loader, kallsyms)).hasMessage(kallsyms + ": larger than the limit of "
        + YamlDocument.MAX_FILE_BYTES + " bytes for a YAML file");
  }

  @Test
  void aSingleValueJustUnderTheLimitStillLoadsFast() throws IOException {
    String head = "service:\n  name: x\n  command: /bin/true\n  description: ";
    Path file = Files.writeString(dir.resolve("long.yaml"),
        head + "a".repeat(YamlDocument.MAX_FILE_BYTES - head.length() - 1) + "\n");

    Recipe recipe = assertTimeoutPreemptively(FAST, () -> new RecipeLoader().load(file));

    assertThat(recipe.services().get(0).description()).hasSize(YamlDocument.MAX_FILE_BYTES - head.length() - 1);
  }

  @Test
  void aRecursiveAliasIsRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("loop.yaml"), "service: &a {name: a, x: *a}\n");

    assertThat(rejected(new RecipeLoader()::load, file))
        .hasMessage(file + ":1: an alias refers to a mapping or list that contains it");
  }
}
