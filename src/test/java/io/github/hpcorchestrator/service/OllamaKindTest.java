package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ollama kind's models step against {@link OllamaStandIn}, which stands in for Ollama because
 * the real one has no package here: the client code under test is the one that talks to a real
 * Ollama.
 */
class OllamaKindTest {
  private static final String ID = "ollama_0a1b2c3d";

  @TempDir Path dir;
  private OllamaStandIn standIn;
  private final List<String> progress = new ArrayList<>();
  private final OllamaKind kind = new OllamaKind(Duration.ofSeconds(30), Duration.ofSeconds(1));

  @BeforeEach
  void startStandIn() throws IOException {
    standIn = new OllamaStandIn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        dir.resolve("state/" + OllamaKind.MODELS_DIR));
  }

  @AfterEach
  void stopStandIn() {
    standIn.close();
  }

  private static ServiceSpec ollama(Map<String, String> env, List<String> models) {
    return new ServiceSpec("ollama", "", Optional.empty(), List.of(), Optional.empty(), ResourceSpec.none(), env,
        List.of(11434), Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(), models);
  }

  /** The kind as the orchestrator readies {@code spec} on {@code backend}, its data in {@code dataDir}. */
  private ServiceKind started(ServiceSpec spec, String backend, String dataDir) {
    JobSpec job = kind.plan(spec, ID, new FakeLaunchContext().dataDir(dataDir));
    return kind.forStart(spec, job, backend);
  }

  @Test
  void modelsFolderDefaultsToTheOrchestratorsOwnFolderSoAModelIsPulledOnce() {
    JobSpec job = kind.plan(ollama(Map.of(), List.of()), ID, new FakeLaunchContext().dataDir("/home/u/.hpc-orchestrator"));

    assertThat(job.environment()).containsEntry("OLLAMA_MODELS", "/home/u/.hpc-orchestrator/ollama-models")
        .containsEntry("OLLAMA_HOST", JobSpec.LISTEN_TOKEN + ":" + JobSpec.PORT_TOKEN);
  }

  @Test
  void recipesOwnModelsFolderWins() {
    JobSpec job = kind.plan(ollama(Map.of("OLLAMA_MODELS", "/shared/models"), List.of()), ID,
        new FakeLaunchContext().dataDir("/home/u/.hpc-orchestrator"));

    assertThat(job.environment()).containsEntry("OLLAMA_MODELS", "/shared/models");
  }

  @Test
  void pullsEachModelWithProgressBeforeTheServiceCountsAsReady() {
    ServiceKind ready = started(ollama(Map.of(), List.of(OllamaStandIn.TINY)), "local", dir.resolve("state").toString());

    assertThat(ready.ready(ID, standIn.address(), progress::add)).isTrue();

    assertThat(progress.get(0)).isEqualTo(ID + ": pulling model standin-tiny:1b (1 of 1) into "
        + dir.resolve("state/ollama-models"));
    assertThat(progress).anyMatch(l -> l.matches(
        "ollama_0a1b2c3d: pulling standin-tiny:1b: 100% of 3\\.0 MB, [0-9.]+ MB/s \\[\\d+ s]"));
    assertThat(progress).anyMatch(l -> l.startsWith(ID + ": standin-tiny:1b: verifying sha256 digest ["));
    assertThat(progress.get(progress.size() - 1)).startsWith(ID + ": standin-tiny:1b ready (3.0 MB downloaded, ");
    assertThat(dir.resolve("state/ollama-models/manifests/registry.ollama.ai/library/standin-tiny/1b")).exists();
  }

  @Test
  void aModelAlreadyInTheFolderIsNotDownloadedAgain() {
    ServiceKind ready = started(ollama(Map.of(), List.of(OllamaStandIn.TINY)), "local", dir.resolve("state").toString());
    ready.ready(ID, standIn.address(), progress::add);
    progress.clear();

    assertThat(ready.ready(ID, standIn.address(), progress::add)).isTrue();

    assertThat(progress.get(progress.size() - 1)).startsWith(ID + ": standin-tiny:1b ready (already present, ");
  }

  @Test
  void aModelOllamaCannotPullFailsTheStartWithOllamasWords() {
    ServiceKind ready = started(ollama(Map.of(), List.of(OllamaStandIn.TINY, "nosuch:1b")), "local",
        dir.resolve("state").toString());

    assertThatThrownBy(() -> ready.ready(ID, standIn.address(), progress::add))
        .isInstanceOf(NotServingException.class)
        .hasMessage("model 'nosuch:1b' could not be pulled into " + ID + ": " + OllamaStandIn.UNKNOWN_MODEL + "; "
            + ID + " was stopped");
    assertThat(progress).contains(ID + ": pulling model nosuch:1b (2 of 2) into " + dir.resolve("state/ollama-models"));
  }

  @Test
  void onSlurmTheFailureSaysHowToFillTheModelsFolderWithoutInternet() {
    ServiceKind ready = started(ollama(Map.of(), List.of("nosuch:1b")), "slurm", "/home/u/.hpc");

    assertThatThrownBy(() -> ready.ready(ID, standIn.address(), progress::add))
        .isInstanceOf(NotServingException.class)
        .hasMessageContaining(OllamaStandIn.UNKNOWN_MODEL)
        .hasMessageContaining("compute nodes may have no internet")
        .hasMessageContaining("'ollama pull nosuch:1b'")
        .hasMessageContaining("into /home/u/.hpc/ollama-models on the cluster");
  }

  @Test
  void aKindWithoutModelsIsReadyWithoutAskingOllama() {
    ServiceKind ready = started(ollama(Map.of(), List.of()), "local", "/nowhere");

    // Port 9 (discard) on loopback: nothing listens there, so any request would fail.
    assertThat(ready.ready(ID, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), progress::add)).isTrue();
    assertThat(progress).isEmpty();
  }

  @Test
  void anHttpErrorStatusIsReportedWithOllamasWords() {
    Optional<String> failure = new OllamaPull(Duration.ofSeconds(30), Duration.ofSeconds(5))
        .pull(standIn.address(), "bad name", ID, progress::add);

    assertThat(failure).contains("HTTP 400: invalid model name");
  }

  @Test
  void aPullThatGoesSilentEndsAtTheSilenceLimit() {
    Optional<String> failure = new OllamaPull(Duration.ofSeconds(30), Duration.ofSeconds(1))
        .pull(standIn.address(), OllamaStandIn.STALL, ID, progress::add);

    assertThat(failure).contains("Ollama sent nothing for 1 s (the limit for a silent pull)");
    assertThat(progress).singleElement().asString().startsWith(ID + ": standin-stall:1b: pulling manifest [");
  }

  @Test
  void aPullPastItsDeadlineEndsWithTheLimitNamed() {
    // A zero deadline is past on the first line, whatever the machine's speed.
    Optional<String> failure = new OllamaPull(Duration.ZERO, Duration.ofSeconds(5))
        .pull(standIn.address(), OllamaStandIn.TINY, ID, progress::add);

    assertThat(failure).contains("not done within 0 s (the limit for one model)");
  }

  @Test
  void anOverlongLineEndsThePullWithTheLimitNamed() {
    Optional<String> failure = new OllamaPull(Duration.ofSeconds(30), Duration.ofSeconds(5))
        .pull(standIn.address(), OllamaStandIn.LONG_LINE, ID, progress::add);

    assertThat(failure).contains("a line of Ollama's answer is over 64 KiB (the limit for one line)");
  }

  @Test
  void nothingAnsweringIsAFailureNotAHang() {
    standIn.close();

    Optional<String> failure = new OllamaPull(Duration.ofSeconds(30), Duration.ofSeconds(2))
        .pull(standIn.address(), OllamaStandIn.TINY, ID, progress::add);

    assertThat(failure).hasValueSatisfying(f -> assertThat(f).startsWith("the pull request failed: "));
  }
}
