package io.github.hpcorchestrator.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.client.ClientPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code client:} and {@code clients:} in recipes: what they read as, and every way they are refused. */
class ClientRecipeTest {
  private final RecipeLoader loader = new RecipeLoader();

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("x.yaml"), yaml);
  }

  @Test
  void readsTheIssuesSessionRecipe() throws IOException {
    Recipe recipe = loader.load(write("""
        services:
          - name: web
            command: python3
            ports: [8000]
        clients:
          - name: chat
            target: {service: web}
            workload: {type: openai, model: sim, max_tokens: 64}
            prompts: ["Hello", "Tell me a story"]
            load: {concurrency: 4, requests: 100, warmup: 8}
        """));

    assertThat(recipe.services()).hasSize(1);
    ClientSpec chat = recipe.clients().get(0);
    assertThat(chat.name()).isEqualTo("chat");
    assertThat(chat.target()).isEqualTo(new ClientTarget(Optional.empty(), Optional.of("web"), Optional.empty()));
    assertThat(chat.workload()).isEqualTo(new ClientPlan.Workload("openai", Optional.empty(), "/v1/completions",
        Map.of(), Optional.empty(), Optional.of("sim"), Optional.of(64), Optional.empty(), 60.0));
    assertThat(chat.prompts().inline()).contains(List.of("Hello", "Tell me a story"));
    assertThat(chat.load()).isEqualTo(new ClientPlan.Load(Optional.of(4), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(100), Optional.empty(), Optional.of(8), Optional.empty(), 0));
    assertThat(chat.maxErrorRate()).isZero();
    assertThat(chat.promptsFile()).isEmpty();
  }

  @Test
  void readsOpenLoopSyntheticAndAUrlTargetWithoutServices() throws IOException {
    Recipe recipe = loader.load(write("""
        client:
          name: gen
          target: {url: "http://node3:11434"}
          workload: {type: ollama, path: /api/chat, model: "llama3.2:1b", temperature: 0.2, timeout: 30s}
          prompts:
            synthetic:
              input: {mean: 100, stddev: 10, min: 50, max: 150}
              output: {mean: 64}
              seed: 7
          load: {rate: 2.5, arrivals: constant, max_in_flight: 16, duration: 1m, warmup: 10s, seed: 3}
          max_error_rate: 0.05
        """));

    assertThat(recipe.services()).isEmpty();
    ClientSpec gen = recipe.clients().get(0);
    assertThat(gen.target().url()).contains("http://node3:11434");
    assertThat(gen.workload().path()).isEqualTo("/api/chat");
    assertThat(gen.workload().timeoutSeconds()).isEqualTo(30.0);
    assertThat(gen.prompts().synthetic()).contains(new ClientPlan.Synthetic(
        new ClientPlan.Lengths(100, 10, 50, 150), new ClientPlan.Lengths(64, 0, 1, 64), 7));
    assertThat(gen.load()).isEqualTo(new ClientPlan.Load(Optional.empty(), Optional.of(2.5),
        Optional.of("constant"), Optional.of(16), Optional.empty(), Optional.of(60.0), Optional.empty(),
        Optional.of(10.0), 3));
    assertThat(gen.maxErrorRate()).isEqualTo(0.05);
  }

  @Test
  void aPromptsFileIsCheckedAndNamedForTheJobFolder() throws IOException {
    Path prompts = Files.writeString(dir.resolve("p.jsonl"), "{\"prompt\": \"Hi\"}\n\n{\"prompt\": \"Yo\", \"max_tokens\": 8}\n");
    Recipe recipe = loader.load(write("""
        client:
          name: h
          target: {service_id: web_0123abcd}
          workload: {type: http, method: POST, path: /echo, headers: {Content-Type: application/json},
                     body: '{"q": "{{prompt}}"}'}
          prompts: {file: p.jsonl}
          load: {concurrency: 1, requests: 3}
        """));

    ClientSpec h = recipe.clients().get(0);
    assertThat(h.prompts().file()).contains(ClientSpec.PROMPTS_FILE);
    assertThat(h.promptsFile()).contains(prompts.toAbsolutePath());
    assertThat(h.workload().headers()).containsEntry("Content-Type", "application/json");
    assertThat(h.workload().method()).contains("POST");
  }

  static Stream<Arguments> refused() {
    String svc = "services:\n  - name: web\n    command: python3\n    ports: [8000]\n";
    String t = "  target: {service_id: a_1}\n";
    String w = "  workload: {type: http}\n";
    String l = "  load: {concurrency: 1, requests: 1}\n";
    return Stream.of(
        Arguments.of("client:\n  name: c\n" + w + l, ":2: client: a client needs a target"),
        Arguments.of("client:\n  name: c\n" + t + l, ":2: client: a client needs a workload"),
        Arguments.of("client:\n  name: c\n" + t + w, ":2: client: a client needs a load"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {concurrency: 2, rate: 5, requests: 9}\n",
            ":5: client.load.rate: rate (open loop) and concurrency (closed loop) are exclusive"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {rate: 0, requests: 9}\n",
            ":5: client.load.rate: expected a rate in requests per second greater than zero"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {rate: -3, requests: 9}\n",
            ":5: client.load.rate: expected a rate in requests per second greater than zero"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {concurrency: 0, requests: 9}\n",
            ":5: client.load.concurrency: expected a concurrency greater than zero"),
        Arguments.of("client:\n  name: c\n" + t + "  workload: {type: grpc}\n" + l,
            ":4: client.workload.type: expected one of http, ollama, openai, found 'grpc'"),
        Arguments.of("client:\n  name: c\n" + t + "  workload: {type: opena}\n" + l,
            "did you mean 'openai'?"),
        Arguments.of("client:\n  name: c\n" + t + "  workload: {type: openai}\n" + l,
            ":4: client.workload: a openai workload needs a model"),
        Arguments.of("client:\n  name: c\n" + t + "  workload: {type: openai, model: m}\n" + l,
            ":2: client: a openai client needs prompts"),
        Arguments.of("client:\n  name: c\n" + t + "  workload: {type: http, model: m}\n" + l,
            ":4: client.workload.model: only allowed for workload types ollama and openai"),
        Arguments.of("client:\n  name: c\n" + t + w + "  prompts: {file: nope.jsonl}\n" + l,
            ":5: client.prompts.file: prompts file 'nope.jsonl' not found"),
        Arguments.of("client:\n  name: c\n  target: {service: web, url: \"http://h:1\"}\n" + w + l,
            ":3: client.target: a target names exactly one of service, service_id and url, found 2"),
        Arguments.of("client:\n  name: c\n  target: {url: \"http://h:1/v1\"}\n" + w + l,
            ":3: client.target.url: expected a URL of scheme, host and port without a path"),
        Arguments.of(svc + "clients:\n  - name: c\n    target: {service: wbe}\n    workload: {type: http}\n"
            + "    load: {concurrency: 1, requests: 1}\n",
            ":7: clients[0].target.service: service 'wbe' is not in this session, did you mean 'web'?"),
        Arguments.of("client:\n  name: c\n  target: {service: web}\n" + w + l,
            ":3: client.target.service: service 'web' is not in this session (the recipe has no services)"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {concurrency: 1}\n",
            ":5: client.load: a load ends after requests: N or duration: D, exactly one"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {concurrency: 1, requests: 5, warmup: 5}\n",
            ":5: client.load.warmup: a warmup of 5 requests leaves none of the 5 measured"),
        Arguments.of("client:\n  name: c\n" + t + w + "  load: {concurrency: 1, requests: 5, arrivals: poisson}\n",
            ":5: client.load.arrivals: only allowed with rate (open loop)"),
        Arguments.of("client:\n  name: c\n" + t + w + l + "  max_error_rate: 2\n",
            ":6: client.max_error_rate: expected a fraction from 0 to 1, found '2'"),
        Arguments.of("client:\n  name: c\n" + t + w + l + "clients: []\n",
            "use either 'client' (one) or 'clients' (a list), not both"));
  }

  @ParameterizedTest
  @MethodSource
  void refused(String yaml, String message) throws IOException {
    Path file = write(yaml);
    assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InputException.class).hasMessageContaining(message);
  }

  @Test
  void aPromptsFileThatIsNotJsonlNamesItsLine() throws IOException {
    Files.writeString(dir.resolve("p.jsonl"), "{\"prompt\": \"ok\"}\n{\"prompt\": \"ok\"}\nHello there\n");
    Path file = write("client:\n  name: c\n  target: {service_id: a_1}\n  workload: {type: http}\n"
        + "  prompts: {file: p.jsonl}\n  load: {concurrency: 1, requests: 1}\n");
    assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InputException.class)
        .hasMessageContaining(":5: client.prompts.file: prompts file 'p.jsonl' line 3: not JSON");
    Files.writeString(dir.resolve("p.jsonl"), "{\"text\": \"no prompt key\"}\n");
    assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InputException.class)
        .hasMessageContaining("prompts file 'p.jsonl' line 1: expected an object with a \"prompt\" string");
  }

  @Test
  void theShippedSessionRecipesLoad() {
    Recipe sim = loader.load(Path.of("recipes/sessions/llm_simulator_benchmark.yaml"));
    assertThat(sim.services()).extracting(ServiceSpec::name).containsExactly("prometheus", "llm_simulator");
    assertThat(sim.clients().get(0).target().service()).contains("llm_simulator");
    Recipe http = loader.load(Path.of("recipes/sessions/http_benchmark.yaml"));
    assertThat(http.clients()).extracting(ClientSpec::name).containsExactly("get_root");
    assertThat(http.clients().get(0).load().rate()).contains(20.0);
  }
}
