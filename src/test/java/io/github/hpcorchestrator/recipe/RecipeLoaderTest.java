package io.github.hpcorchestrator.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.testbed.InputErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecipeLoaderTest {
  private final RecipeLoader loader = new RecipeLoader();

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void loadsSpecSingleOllamaExample() throws IOException {
    Path file = write("""
        service:
          name: prometheus

          monitoring_targets:
            - service_id: "ollama_abc123"
              job_name: "ollama"
              port: 11434

          container:
            docker_source: docker://prom/prometheus:latest
            image_path: $HOME/containers/prometheus.sif

          resources:
            mem: 4G
            cpus_per_task: 2
            time: "02:00:00"

          ports:
            - 9090
        """);

    Recipe recipe = loader.load(file);

    assertThat(recipe.source()).isEqualTo(file);
    assertThat(recipe.services()).containsExactly(new ServiceSpec("prometheus", "", Optional.empty(),
        List.of(),
        Optional.of(new ContainerSpec(Optional.of("docker://prom/prometheus:latest"),
            Optional.of("$HOME/containers/prometheus.sif"))),
        new ResourceSpec(Optional.of("4G"), Optional.of(2), Optional.of("02:00:00"), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty()),
        Map.of(), List.of(9090), Optional.empty(),
        List.of(new MonitoringTarget(Optional.of("ollama_abc123"), Optional.empty(), "ollama",
            Optional.of(11434), "/metrics")),
        Optional.empty()));
  }

  @Test
  void loadsSpecMultipleTargetsExample() throws IOException {
    Path file = write("""
        service:
          name: prometheus
          monitoring_targets:
            - service_id: "ollama_abc123"
              job_name: "ollama-1"
              port: 11434
            - service_id: "ollama_xyz789"
              job_name: "ollama-2"
              port: 11434
            # Can also monitor by direct host if you know it
            - host: "mel2073"
              job_name: "specific-node"
              port: 9100  # e.g., node_exporter
          ports:
            - 9090
          scrape_interval: 15s
        """);

    ServiceSpec spec = loader.load(file).services().get(0);

    assertThat(spec.monitoringTargets()).containsExactly(
        new MonitoringTarget(Optional.of("ollama_abc123"), Optional.empty(), "ollama-1", Optional.of(11434), "/metrics"),
        new MonitoringTarget(Optional.of("ollama_xyz789"), Optional.empty(), "ollama-2", Optional.of(11434), "/metrics"),
        new MonitoringTarget(Optional.empty(), Optional.of("mel2073"), "specific-node", Optional.of(9100), "/metrics"));
    assertThat(spec.scrapeInterval()).contains("15s");
  }

  @Test
  void loadsEveryFieldAndConvertsScalars() throws IOException {
    Path file = write("""
        service:
          name: web-1
          description: |
            two
            lines
          command: /usr/bin/env
          args: [python3, -m, http.server, 8000]
          container: {image_path: /images/x.sif}
          resources:
            mem: 1024
            cpus_per_task: "3"
            time: 1-12:00:00
            partition: gpu.a100
            qos: normal
            account: proj_1
            nodes: 2
            ntasks: 4
            ntasks_per_node: 2
            gres: gpu:a100:2
          environment:
            B: 1.10
            A: true
            _C: "x'; rm -rf / #"
          ports: "8000"
          health_check:
            endpoint: /health
            timeout: 10
            retries: 3
            interval: 1m
        """);

    ServiceSpec spec = loader.load(file).services().get(0);

    assertThat(spec.name()).isEqualTo("web-1");
    assertThat(spec.description()).isEqualTo("two\nlines\n");
    assertThat(spec.command()).contains("/usr/bin/env");
    assertThat(spec.args()).containsExactly("python3", "-m", "http.server", "8000");
    assertThat(spec.container()).contains(new ContainerSpec(Optional.empty(), Optional.of("/images/x.sif")));
    assertThat(spec.resources()).isEqualTo(new ResourceSpec(Optional.of("1024"), Optional.of(3),
        Optional.of("1-12:00:00"), Optional.of("gpu.a100"), Optional.of("normal"), Optional.of("proj_1"),
        Optional.of(2), Optional.of(4), Optional.of(2), Optional.of("gpu:a100:2")));
    // Values are taken as written (1.10 stays "1.10") and keep recipe order.
    assertThat(spec.environment()).containsExactly(Map.entry("B", "1.10"), Map.entry("A", "true"),
        Map.entry("_C", "x'; rm -rf / #"));
    assertThat(spec.ports()).containsExactly(8000);
    assertThat(spec.healthCheck()).contains(
        new HealthCheck("/health", Duration.ofSeconds(10), 3, Duration.ofMinutes(1)));
  }

  @Test
  void ollamaModelsKeepRecipeOrderAndOtherServicesHaveNone() throws IOException {
    Path file = write("""
        services:
          - name: ollama
            models: [llama3.2:1b, "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", qwen2.5]
          - name: web
            command: /bin/true
        """);

    List<ServiceSpec> services = loader.load(file).services();

    assertThat(services.get(0).models())
        .containsExactly("llama3.2:1b", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "qwen2.5");
    assertThat(services.get(1).models()).isEmpty();
  }

  @Test
  void healthCheckDefaults() throws IOException {
    Path file = write("service:\n  name: a\n  ports: 80\n  health_check:\n    endpoint: /\n");

    ServiceSpec spec = loader.load(file).services().get(0);

    assertThat(spec.healthCheck()).contains(
        new HealthCheck("/", Duration.ofSeconds(5), 30, Duration.ofSeconds(2)));
    assertThat(spec.ports()).containsExactly(80);
  }

  @Test
  void servicesListKeepsOrder() throws IOException {
    Path file = write("""
        services:
          - name: ollama
            ports: [11434]
          - name: prometheus
            monitoring_targets:
              - {service_id: ollama, job_name: ollama}
        """);

    List<ServiceSpec> services = loader.load(file).services();

    assertThat(services).extracting(ServiceSpec::name).containsExactly("ollama", "prometheus");
    assertThat(services.get(1).monitoringTargets().get(0).port()).isEmpty();
  }

  @Test
  void everyShippedRecipeLoads() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of("recipes/services"))) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }

    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    for (Path file : files) {
      assertThat(loader.load(file).services()).as(file.toString()).isNotEmpty();
    }
  }

  @Test
  void shippedGenericRecipeKeepsPortPlaceholder() {
    ServiceSpec spec = loader.load(Path.of("recipes/services/generic_http.yaml")).services().get(0);

    assertThat(spec.name()).isEqualTo("http_server");
    assertThat(spec.args()).containsExactly("-m", "http.server", "{port}");
  }

  @Test
  void missingFileNamesThePathAsGiven() {
    Path file = Path.of("recipes/services/nope.yaml");

    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(InputException.class)
        .hasMessage("file not found: recipes/services/nope.yaml");
  }

  @ParameterizedTest(name = "{index}: {1}")
  @MethodSource("malformed")
  void rejectsMalformedRecipe(String yaml, String expected) throws IOException {
    Path file = write(yaml);

    InputErrors.assertInputError(() -> loader.load(file), file + expected);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("service:\n  name: [a\n", ":3: invalid YAML: expected ',' or ']', but got <stream end>"),
        Arguments.of("service:\n  name: a: b\n", ":2: invalid YAML: mapping values are not allowed here"),
        Arguments.of("service:\n\tname: a\n", ":2: invalid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)"),
        Arguments.of("service: {name: a}\n---\nservice: {name: b}\n", ":2: invalid YAML: but found another document"),
        Arguments.of("service: &a {name: a, x: *a}\n", ":1: an alias refers to a mapping or list that contains it"),
        Arguments.of("", ": the file is empty; expected 'service:' or 'services:'"),
        Arguments.of("# only a comment\n", ": the file is empty; expected 'service:' or 'services:'"),
        Arguments.of("- name: a\n", ":1: expected a mapping with 'service:' or 'services:' at the top level, found a list"),
        Arguments.of("service:\n  name: a\n  name: b\n", ":3: service: duplicate key 'name' (first on line 2)"),
        Arguments.of("service:\n  name: a\nservices: []\n", ":3: use either 'service' (one) or 'services' (a list), not both"),
        Arguments.of("servce:\n  name: a\n", ":1: unknown key 'servce', did you mean 'service'?"),
        Arguments.of("service:\n  name: a\n  prots: [80]\n", ":3: service: unknown key 'prots', did you mean 'ports'?"),
        Arguments.of("service:\n  nmae: a\n", ":2: service: unknown key 'nmae', did you mean 'name'?"),
        Arguments.of("service:\n  name: a\n  colour: red\n", ":3: service: unknown key 'colour' (allowed: name, description, command, args, container, resources, environment, ports, health_check, monitoring_targets, scrape_interval, exporters, auth, models, setup, simulator)"),
        Arguments.of("service:\n  name: a\n  resources:\n    memory: 4G\n", ":4: service.resources: unknown key 'memory', did you mean 'mem'?"),
        Arguments.of("service:\n  description: x\n", ":2: service: missing required key 'name'"),
        Arguments.of("service:\n  name: \"\"\n", ":2: service.name: invalid name '': use 1-48 letters, digits, '_' or '-', starting with a letter"),
        Arguments.of("service:\n  name: ../etc\n", ":2: service.name: invalid name '../etc': use 1-48 letters, digits, '_' or '-', starting with a letter"),
        Arguments.of("service:\n  name: a;rm\n", ":2: service.name: invalid name 'a;rm': use 1-48 letters, digits, '_' or '-', starting with a letter"),
        Arguments.of("service:\n  name: $(reboot)\n", ":2: service.name: invalid name '$(reboot)': use 1-48 letters, digits, '_' or '-', starting with a letter"),
        Arguments.of("service:\n  name: \"a'b\"\n", ":2: service.name: invalid name 'a'b': use 1-48 letters, digits, '_' or '-', starting with a letter"),
        Arguments.of("service:\n  name: \"a\\nb\"\n", ":2: service.name: invalid name 'a\\nb': use 1-48 letters, digits, '_' or '-', starting with a letter"),
        Arguments.of("service:\n  name: [a]\n", ":2: service.name: expected a string, found a list"),
        Arguments.of("service:\n  name: a\n  ports: [0]\n", ":3: service.ports[0]: expected a port number 1-65535, found '0'"),
        Arguments.of("service:\n  name: a\n  ports:\n    - 80\n    - 70000\n", ":5: service.ports[1]: expected a port number 1-65535, found '70000'"),
        Arguments.of("service:\n  name: a\n  ports:\n    - abc\n", ":4: service.ports[0]: expected a port number 1-65535, found 'abc'"),
        Arguments.of("service:\n  name: a\n  ports: {http: 80}\n", ":3: service.ports: expected a list, found a mapping"),
        Arguments.of("service:\n  name: a\n  args: -v\n", ":3: service.args: expected a list of strings, found a string"),
        Arguments.of("service:\n  name: a\n  args: [-v, {x: 1}]\n", ":3: service.args[1]: expected a string, found a mapping"),
        Arguments.of("service:\n  name: a\n  command: \"ls\\nrm\"\n", ":3: service.command: must be a single line, found 'ls\\nrm'"),
        Arguments.of("service:\n  name: a\n  environment:\n    1BAD: x\n", ":4: service.environment: invalid variable name '1BAD': use letters, digits and '_', not starting with a digit"),
        Arguments.of("service:\n  name: a\n  environment:\n    A-B: x\n", ":4: service.environment: invalid variable name 'A-B': use letters, digits and '_', not starting with a digit"),
        Arguments.of("service:\n  name: a\n  environment:\n    A: \"x\\0y\"\n", ":4: service.environment.A: must not contain a NUL character"),
        Arguments.of("service:\n  name: a\n  environment: [A=1]\n", ":3: service.environment: expected a mapping, found a list"),
        Arguments.of("service:\n  name: a\n  health_check:\n    endpoint: /\n    retries: 0\n", ":5: service.health_check.retries: expected an integer >= 1, found '0'"),
        Arguments.of("service:\n  name: a\n  health_check:\n    endpoint: health\n", ":4: service.health_check.endpoint: expected a path starting with '/', found 'health'"),
        Arguments.of("service:\n  name: a\n  health_check:\n    endpoint: /\n    timeout: soon\n", ":5: service.health_check.timeout: expected a duration like 30s, 5m, 2h or a number of seconds, found 'soon'"),
        Arguments.of("service:\n  name: a\n  health_check:\n    timeout: 5s\n", ":4: service.health_check: missing required key 'endpoint'"),
        Arguments.of("service:\n  name: a\n  resources:\n    mem: 4GB\n", ":4: service.resources.mem: expected a memory size like 4G, 512M or 1024, found '4GB'"),
        Arguments.of("service:\n  name: a\n  resources:\n    time: 2h\n", ":4: service.resources.time: expected a time limit like 02:00:00, 1-00:00:00, 30:00 or minutes, found '2h'"),
        Arguments.of("service:\n  name: a\n  resources:\n    cpus_per_task: 0\n", ":4: service.resources.cpus_per_task: expected an integer >= 1, found '0'"),
        Arguments.of("service:\n  name: a\n  resources:\n    partition: gpu;reboot\n", ":4: service.resources.partition: expected a SLURM name (letters, digits, '_', '.', '-'), found 'gpu;reboot'"),
        Arguments.of("service:\n  name: a\n  container: {}\n", ":3: service.container: a container needs docker_source or image_path"),
        Arguments.of(targets("    - job_name: x\n      port: 80\n"), ":4: service.monitoring_targets[0]: a target needs service_id or host (or service: NAME, or session: true)"),
        Arguments.of(targets("    - service_id: a\n      host: b\n      job_name: x\n      port: 80\n"), ":4: service.monitoring_targets[0]: service_id and host are exclusive"),
        Arguments.of(targets("    - host: node1\n      job_name: x\n"), ":4: service.monitoring_targets[0]: a target with host needs a port"),
        Arguments.of(targets("    - host: -oProxyCommand=x\n      job_name: x\n      port: 1\n"), ":4: service.monitoring_targets[0].host: expected a host name or IP address (or [IPv6]), found '-oProxyCommand=x'"),
        Arguments.of(targets("    - service_id: a\n      job_name: x\n    - service_id: b\n      job_name: x\n"), ":7: service.monitoring_targets[1].job_name: duplicate job_name 'x' (first on line 5)"),
        Arguments.of(targets("    - service_id: a\n      job_name: prometheus\n"), ":5: service.monitoring_targets[0].job_name: job_name 'prometheus' is reserved for Prometheus' own metrics"),
        Arguments.of(targets("    - service_id: a\n"), ":4: service.monitoring_targets[0]: missing required key 'job_name'"),
        Arguments.of(targets("    - service_id: a\n      job_name: x\n      metrics_path: metrics\n"), ":6: service.monitoring_targets[0].metrics_path: expected a path starting with '/', found 'metrics'"),
        Arguments.of(targets("    - service_id: a/b\n      job_name: x\n"), ":4: service.monitoring_targets[0].service_id: expected a service ID (letters, digits, '_', '-'), found 'a/b'"),
        Arguments.of("service:\n  name: ollama\n  scrape_interval: 15s\n", ":3: service.scrape_interval: only allowed when name is prometheus"),
        Arguments.of("service:\n  name: ollama\n  monitoring_targets:\n    - {service_id: a, job_name: x}\n", ":4: service.monitoring_targets: only allowed when name is prometheus"),
        Arguments.of("service:\n  name: prometheus\n  scrape_interval: fast\n", ":3: service.scrape_interval: expected a Prometheus duration like 15s or 1m, found 'fast'"),
        Arguments.of("services:\n  - name: a\n  - name: b\n    ports: [x]\n", ":4: services[1].ports[0]: expected a port number 1-65535, found 'x'"),
        Arguments.of("services: []\n", ":1: services: expected at least one service"),
        Arguments.of("service:\n  name: web\n  command: x\n  models: [llama3.2:1b]\n", ":4: service.models: only allowed when name is ollama"),
        Arguments.of("service:\n  name: ollama\n  models: llama3.2:1b\n", ":3: service.models: expected a list of model names such as [llama3.2:1b], found 'llama3.2:1b'"),
        Arguments.of("service:\n  name: ollama\n  models: {llama3: 1b}\n", ":3: service.models: expected a list of model names such as [llama3.2:1b], found a mapping"),
        Arguments.of("service:\n  name: ollama\n  models: [[a]]\n", ":3: service.models[0]: expected a model name such as llama3.2:1b (letters, digits, '.', '_', '-', ':', '/'), found a list"),
        Arguments.of("service:\n  name: ollama\n  models: [\"-x\"]\n", ":3: service.models[0]: expected a model name such as llama3.2:1b (letters, digits, '.', '_', '-', ':', '/'), found '-x'"),
        Arguments.of("service:\n  name: ollama\n  models: [a, b, a]\n", ":3: service.models[2]: model 'a' is listed twice"),
        Arguments.of("other: 1\n", ":1: unknown key 'other' (allowed: service, services, client, clients)"));
  }

  private static String targets(String items) {
    return "service:\n  name: prometheus\n  monitoring_targets:\n" + items;
  }
}
