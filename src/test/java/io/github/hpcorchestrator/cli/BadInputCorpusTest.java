package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the bad-input corpus (src/test/resources/.../corpus) through the CLI, in-process:
 * exit code 2, exactly one line on stderr as the file's first line announces, no stack trace,
 * nothing on stdout, and the state folder untouched.
 *
 * <p>A corpus file starts with {@code # expect: {file}:LINE: KEY.PATH: MESSAGE}; {@code {file}} is
 * the path as passed to the CLI, and the error line must start with {@code error: } and that text
 * (the message may be cut short: it is compared as a prefix).
 */
class BadInputCorpusTest {
  private static final Path CORPUS = Path.of("src/test/resources/io/github/hpcorchestrator/corpus");
  private static final String EXPECT = "# expect: ";

  @TempDir Path dir;
  private Path state;
  private Path config;
  private Path home;
  private String savedHome;

  @BeforeEach
  void setUp() throws IOException {
    // Configs without state_dir fall back to ~/.orchestrator: point ~ into the temp folder.
    savedHome = System.getProperty("user.home");
    home = Files.createDirectories(dir.resolve("home"));
    System.setProperty("user.home", home.toString());
    state = dir.resolve("state");
    config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + state + "\nrecipes_dir: " + dir.resolve("recipes") + "\n");
  }

  @AfterEach
  void restoreHome() {
    System.setProperty("user.home", savedHome);
  }

  static Stream<Path> recipes() throws IOException {
    return corpus("recipes");
  }

  static Stream<Path> configs() throws IOException {
    return corpus("configs");
  }

  private static Stream<Path> corpus(String kind) throws IOException {
    try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(list).as("corpus/" + kind).isNotEmpty();
      return list.stream();
    }
  }

  @Test
  void corpusHasAtLeastFortyFiveFiles() throws IOException {
    assertThat(recipes().count() + configs().count()).isGreaterThanOrEqualTo(45);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recipes")
  void badRecipeIsOneLocatedLineAndTouchesNoState(Path recipe) throws IOException {
    String expected = expectation(recipe);

    // 1. No state yet: none may be created.
    CliResult fresh = run("--config", config.toString(), "--recipe", recipe.toString());
    assertOneInputError(fresh, expected);
    assertThat(state).as("state folder after a rejected recipe").doesNotExist();

    // 2. State that exists already: not a byte of it may change.
    try (StateStore store = StateStore.open(state)) {
      store.newSession("earlier.yaml", Instant.parse("2024-01-01T00:00:00Z"));
    }
    Map<String, String> before = snapshot(state);
    CliResult again = run("--config", config.toString(), "--recipe", recipe.toString());
    assertOneInputError(again, expected);
    assertThat(snapshot(state)).as("state folder after a rejected recipe").isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void badConfigIsOneLocatedLineAndTouchesNoState(Path badConfig) throws IOException {
    String expected = expectation(badConfig);
    Map<String, String> before = snapshot(dir);

    CliResult r = run("--config", badConfig.toString(), "--status");

    assertOneInputError(r, expected);
    assertThat(home.resolve(".orchestrator")).as("default state folder").doesNotExist();
    assertThat(snapshot(dir)).as("temp folder after a rejected config").isEqualTo(before);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> errorsFoundWhilePlanning() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("generic service without command", """
            service:
              name: web
            """, "error: service 'web' has no command"),
        org.junit.jupiter.params.provider.Arguments.of("target names an unknown service", """
            service:
              name: prometheus
              monitoring_targets:
                - service_id: deadbeef
                  job_name: node
            """, "error: monitoring target 'node': no service with ID 'deadbeef'"),
        org.junit.jupiter.params.provider.Arguments.of("bad Prometheus retention", """
            service:
              name: prometheus
              environment:
                PROMETHEUS_RETENTION_TIME: forever
            """, "error: service.environment.PROMETHEUS_RETENTION_TIME: expected a Prometheus duration"));
  }

  /**
   * Recipes that load but cannot run: the kind finds the problem while planning the job. Still
   * one line and exit 2, and nothing may be started; see {@link #planningErrorsLeaveStateUnchanged}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("errorsFoundWhilePlanning")
  void errorFoundWhilePlanningIsOneLineAndStartsNothing(String what, String yaml, String start)
      throws IOException {
    Path recipe = Files.writeString(dir.resolve("recipe.yaml"), yaml);

    CliResult r = run("--config", config.toString(), "--recipe", recipe.toString());

    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith(start).doesNotContain("Exception").doesNotContain("at io.github");
    assertThat(state.resolve("services")).doesNotExist();
  }

  /** A recipe rejected while planning leaves no state behind: no state.db, no session row. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("errorsFoundWhilePlanning")
  void planningErrorsLeaveStateUnchanged(String what, String yaml, String start) throws IOException {
    Path recipe = Files.writeString(dir.resolve("recipe.yaml"), yaml);

    CliResult r = run("--config", config.toString(), "--recipe", recipe.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(state).as("state folder after a rejected recipe").doesNotExist();
  }

  /** The first line's expectation with {@code {file}} replaced by the path the CLI is given. */
  private static String expectation(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String first = new String(bytes, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    assertThat(first).as("first line of " + file).startsWith(EXPECT);
    String expected = first.substring(EXPECT.length()).replace("{file}", file.toString());
    assertThat(expected).as("expectation of " + file).doesNotContain("TODO").isNotBlank();
    return expected;
  }

  private static void assertOneInputError(CliResult r, String expected) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).as("stdout").isEmpty();
    assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
    assertThat(r.err()).as("stderr").endsWith("\n").doesNotContain("Exception").doesNotContain("at io.github")
        .startsWith("error: " + expected);
  }

  /** Every regular file under {@code root} (relative path) with a digest of its bytes. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted().toList()) {
        String key = root.relativize(p).toString();
        files.put(key, Files.isDirectory(p) ? "dir" : sha256(p));
      }
    }
    return files;
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static CliResult run(String... args) {
    return LocalCli.call(args);
  }
}
