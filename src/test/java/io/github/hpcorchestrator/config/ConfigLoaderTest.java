package io.github.hpcorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.config.HpcConfig.HostKeyChecking;
import io.github.hpcorchestrator.config.OrchestratorConfig.Backend;
import io.github.hpcorchestrator.testbed.InputErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final Path HOME = Path.of("/home/alice");
  private final ConfigLoader loader = new ConfigLoader(HOME);

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void loadsFullConfig() throws IOException {
    Path file = write("""
        backend: slurm
        state_dir: ~/state
        recipes_dir: my/recipes
        metrics_dir: $HOME/metrics
        remote_dir: $HOME/orch
        hpc:
          hostname: login.cluster.example.org
          port: 2222
          username: alice
          key_filename: ~/.ssh/id_ed25519
          known_hosts: /etc/ssh/known_hosts
          strict_host_key_checking: accept-new
        slurm:
          account: proj_1
          partition: gpu
          qos: normal
          time: "01:00:00"
          extra_directives:
            - --constraint=a100
        limits:
          max_answer_bytes: 8MiB
          request_timeout: 10s
          status_timeout: 2s
        """);

    OrchestratorConfig config = loader.load(file);

    assertThat(config).isEqualTo(new OrchestratorConfig(Optional.of(file), Backend.SLURM,
        HOME.resolve("state"), Path.of("my/recipes"), HOME.resolve("metrics"),
        Optional.of(new HpcConfig("login.cluster.example.org", 2222, Optional.of("alice"),
            Optional.of(HOME.resolve(".ssh/id_ed25519")), Path.of("/etc/ssh/known_hosts"),
            HostKeyChecking.ACCEPT_NEW)),
        new SlurmDefaults(Optional.of("proj_1"), Optional.of("gpu"), Optional.of("normal"),
            Optional.of("01:00:00"), List.of("--constraint=a100")),
        "$HOME/orch", new Limits(8L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(2))));
  }

  @Test
  void emptyFileGivesDefaults() throws IOException {
    Path file = write("# nothing configured\n");

    OrchestratorConfig config = loader.load(file);

    assertThat(config).isEqualTo(new OrchestratorConfig(Optional.of(file), Backend.LOCAL,
        HOME.resolve(".orchestrator"), Path.of("recipes/services"), Path.of("metrics"),
        Optional.empty(), SlurmDefaults.none(), "$HOME/.orchestrator", Limits.defaults()));
  }

  @ParameterizedTest
  @CsvSource({"1048576, 1048576", "'512 KiB', 524288", "64MiB, 67108864", "2GB, 2147483648", "1k, 1024"})
  void answerLimitTakesBytesOrAUnit(String written, long bytes) throws IOException {
    Path file = write("limits:\n  max_answer_bytes: " + written + "\n");

    assertThat(loader.load(file).limits().maxAnswerBytes()).isEqualTo(bytes);
  }

  @Test
  void limitsDefaultTo64MiBAnd30sAnd5s() throws IOException {
    Path file = write("limits: {}\n");

    assertThat(loader.load(file).limits()).isEqualTo(Limits.defaults());
    assertThat(Limits.defaults()).isEqualTo(new Limits(64L << 20, Duration.ofSeconds(30), Duration.ofSeconds(5)));
  }

  @Test
  void hpcDefaults() throws IOException {
    Path file = write("hpc:\n  hostname: cluster\n");

    HpcConfig hpc = loader.load(file).hpc().orElseThrow();

    assertThat(hpc).isEqualTo(new HpcConfig("cluster", 22, Optional.empty(), Optional.empty(),
        HOME.resolve(".ssh/known_hosts"), HostKeyChecking.YES));
  }

  @ParameterizedTest
  @CsvSource({"yes, YES", "no, NO", "true, YES", "false, NO", "'\"yes\"', YES", "accept-new, ACCEPT_NEW"})
  void hostKeyCheckingAcceptsWordsAndBooleans(String written, HostKeyChecking expected) throws IOException {
    Path file = write("hpc:\n  hostname: cluster\n  strict_host_key_checking: " + written + "\n");

    assertThat(loader.load(file).hpc().orElseThrow().hostKeyChecking()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, PT0S", "'\"0\"', PT0S", "5m, PT5M", "90, PT1M30S"})
  void persistTakesADurationOrZeroForOff(String written, java.time.Duration expected) throws IOException {
    Path file = write("hpc:\n  hostname: cluster\n  persist: " + written + "\n");

    assertThat(loader.load(file).hpc().orElseThrow().persist()).isEqualTo(expected);
    assertThat(loader.load(write("hpc:\n  hostname: cluster\n")).hpc().orElseThrow().persist())
        .isEqualTo(HpcConfig.DEFAULT_PERSIST);
  }

  @Test
  void relativeDirectoriesStayRelativeToWorkingDirectory() throws IOException {
    Path file = write("state_dir: .state\nrecipes_dir: r\n");

    OrchestratorConfig config = loader.load(file);

    assertThat(config.stateDir()).isEqualTo(Path.of(".state"));
    assertThat(config.recipesDir()).isEqualTo(Path.of("r"));
  }

  @Test
  void missingFile() {
    assertThatThrownBy(() -> loader.load(Path.of("no/config.yaml")))
        .isInstanceOf(InputException.class)
        .hasMessage("file not found: no/config.yaml");
  }

  @ParameterizedTest(name = "{index}: {1}")
  @MethodSource("malformed")
  void rejectsMalformedConfig(String yaml, String expected) throws IOException {
    Path file = write(yaml);

    InputErrors.assertInputError(() -> loader.load(file), file + expected);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("backend: slrum\n", ":1: backend: expected one of local, slurm, found 'slrum', did you mean 'slurm'?"),
        Arguments.of("backend: pbs\n", ":1: backend: expected one of local, slurm, found 'pbs'"),
        Arguments.of("backnd: slurm\n", ":1: unknown key 'backnd', did you mean 'backend'?"),
        Arguments.of("hpc:\n  hostname: h\n  user: bob\n", ":3: hpc: unknown key 'user', did you mean 'username'?"),
        Arguments.of("hpc:\n  port: 22\n", ":2: hpc: missing required key 'hostname'"),
        Arguments.of("hpc:\n  hostname: h\n  port: 70000\n", ":3: hpc.port: expected a port number 1-65535, found '70000'"),
        Arguments.of("hpc:\n  hostname: h\n  port: ssh\n", ":3: hpc.port: expected a port number 1-65535, found 'ssh'"),
        Arguments.of("hpc:\n  hostname: -oProxyCommand=x\n", ":2: hpc.hostname: expected a host name or ~/.ssh/config alias (letters, digits, '.', '_', ':', '-'), found '-oProxyCommand=x'"),
        Arguments.of("hpc:\n  hostname: h\n  persist: soon\n", ":3: hpc.persist: expected a duration like 30s, 5m, 2h or a number of seconds, found 'soon'"),
        Arguments.of("hpc:\n  hostname: h\n  strict_host_key_checking: maybe\n", ":3: hpc.strict_host_key_checking: expected one of yes, accept-new, no, found 'maybe'"),
        Arguments.of("slurm:\n  extra_directives: --exclusive\n", ":2: slurm.extra_directives: expected a list, found a string"),
        Arguments.of("slurm:\n  extra_directives:\n    - \"a\\nb\"\n", ":3: slurm.extra_directives[0]: must be a single line, found 'a\\nb'"),
        Arguments.of("slurm:\n  extra_directives:\n    - \"#SBATCH --exclusive\"\n", ":3: slurm.extra_directives[0]: write the directive without '#SBATCH', e.g. --constraint=gpu"),
        Arguments.of("slurm:\n  time: 1h\n", ":2: slurm.time: expected a time limit like 02:00:00, 1-00:00:00, 30:00 or minutes, found '1h'"),
        Arguments.of("limits:\n  max_answer_bytes: 5GiB\n", ":2: limits.max_answer_bytes: expected a size like 64MiB, 512KiB or a number of bytes, 1024 bytes to 4GiB, found '5GiB'"),
        Arguments.of("limits:\n  max_answer_bytes: 99999999999999999999\n", ":2: limits.max_answer_bytes: expected a size like 64MiB, 512KiB or a number of bytes, 1024 bytes to 4GiB, found '99999999999999999999'"),
        Arguments.of("limits:\n  status_timeout: soon\n", ":2: limits.status_timeout: expected a duration like 30s, 5m, 2h or a number of seconds, found 'soon'"),
        Arguments.of("limits: 64MiB\n", ":1: limits: expected a mapping, found a string"),
        Arguments.of("- backend\n", ":1: expected a mapping at the top level, found a list"),
        Arguments.of("backend: local\nbackend: slurm\n", ":2: duplicate key 'backend' (first on line 1)"),
        Arguments.of("backend: [local\n", ":2: invalid YAML: expected ',' or ']', but got <stream end>"));
  }
}
