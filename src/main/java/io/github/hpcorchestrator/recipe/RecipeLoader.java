package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.InputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads recipe files strictly: unknown keys, wrong types and unsafe values fail with an
 * {@link InputException} that names the file, line and key path. Stateless; safe to share.
 *
 * <p>A recipe holds {@code service:} (one service) or {@code services:} (a list, kept in order),
 * never both.
 */
public final class RecipeLoader {
  /** The service name whose recipes may carry scrape settings. */
  public static final String PROMETHEUS = "prometheus";
  /** The service name whose recipes may list models to pull. */
  public static final String OLLAMA = "ollama";
  /** The service name whose recipes may carry {@code simulator:} settings. */
  public static final String LLM_SIMULATOR = "llm_simulator";

  /**
   * The service names whose kind has a port of its own (service/*Kind#defaultPort); a service of
   * any other name without {@code ports} has no port and no endpoint.
   */
  public static final java.util.Set<String> NAMES_WITH_DEFAULT_PORT = java.util.Set.of(PROMETHEUS, "node_exporter",
      "ollama", LLM_SIMULATOR);
  private static final String PORT_TOKEN = "{port}";

  // Names become file names, job names and shell words later, so only a safe subset is allowed.
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,47}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9_-]+");
  // A leading '-' could be taken for an option by ssh or curl; IPv6 goes in brackets.
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+\\]");
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern URL_PATH = Pattern.compile("/[^\\s]*");
  // Ollama's [registry/][namespace/]model[:tag]; the name goes into JSON only, but a leading '-'
  // or '/' is never a model and would read as an option or a path in messages and commands.
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");
  private static final Pattern PROMETHEUS_DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final int DEFAULT_RETRIES = 30;
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  private static final String DEFAULT_METRICS_PATH = "/metrics";

  /**
   * Loads and validates one recipe file.
   *
   * @param file used as given in messages
   * @throws InputException for a missing, unreadable or invalid file
   */
  public Recipe load(Path file) {
    YamlValue root = YamlDocument.read(file).orElseThrow(() -> InputException.at(file, 0, "",
        "the file is empty; expected 'service:' or 'services:'"));
    if (!root.isMapping()) {
      throw root.error("expected a mapping with 'service:' or 'services:' at the top level, found "
          + root.kind());
    }
    YamlMapping top = root.asMapping();
    Optional<YamlValue> one = top.get("service");
    Optional<YamlValue> many = top.get("services");
    Optional<YamlValue> oneClient = top.get("client");
    Optional<YamlValue> manyClients = top.get("clients");
    top.rejectUnknownKeys();
    List<ServiceSpec> services = new ArrayList<>();
    if (one.isPresent() && many.isPresent()) {
      throw top.keyError("services", "use either 'service' (one) or 'services' (a list), not both");
    } else if (one.isPresent()) {
      services.add(service(one.get()));
    } else if (many.isPresent()) {
      List<YamlValue> items = many.get().asList();
      if (items.isEmpty()) {
        throw many.get().error("expected at least one service");
      }
      for (YamlValue item : items) {
        services.add(service(item));
      }
    } else if (oneClient.isEmpty() && manyClients.isEmpty()) {
      throw root.error("expected 'service:' (one service) or 'services:' (a list of services)");
    }
    return new Recipe(file, services, ClientEntries.read(top, oneClient, manyClients, services));
  }

  private ServiceSpec service(YamlValue value) {
    YamlMapping map = value.asMapping();
    YamlValue nameValue = map.require("name");
    String name = nameValue.asString();
    if (!NAME.matcher(name).matches()) {
      throw nameValue.error("invalid name " + YamlValue.quote(name)
          + ": use 1-48 letters, digits, '_' or '-', starting with a letter");
    }
    String description = map.get("description").map(YamlValue::asString).orElse("");
    Optional<String> command = map.get("command").map(RecipeLoader::command);
    List<String> args = map.get("args").map(YamlValue::asStringList).orElse(List.of());
    Optional<ContainerSpec> container = map.get("container").map(RecipeLoader::container);
    ResourceSpec resources = map.get("resources").map(RecipeLoader::resources)
        .orElse(ResourceSpec.none());
    Map<String, String> environment = map.get("environment").map(RecipeLoader::environment)
        .orElse(Map.of());
    List<Integer> ports = map.get("ports").map(RecipeLoader::ports).orElse(List.of());
    Optional<HealthCheck> healthCheck = map.get("health_check").map(RecipeLoader::healthCheck);
    Optional<YamlValue> targetsValue = map.get("monitoring_targets");
    Optional<YamlValue> intervalValue = map.get("scrape_interval");
    List<String> exporters = map.get("exporters").map(RecipeLoader::exporters).orElse(List.of());
    Optional<YamlValue> authValue = map.get("auth");
    Optional<YamlValue> modelsValue = map.get("models");
    List<String> setup = map.get("setup").map(SetupLines::of).orElse(List.of());
    Optional<YamlValue> simulatorValue = map.get("simulator");
    map.rejectUnknownKeys();
    if (ports.isEmpty() && !NAMES_WITH_DEFAULT_PORT.contains(name)) {
      rejectPortUses(map);
    }

    boolean prometheus = name.equals(PROMETHEUS);
    // Only the prometheus kind reads these; elsewhere they would be silently ignored.
    if (targetsValue.isPresent() && !prometheus && !targetsValue.get().asList().isEmpty()) {
      throw targetsValue.get().error("only allowed when name is " + PROMETHEUS);
    }
    if (intervalValue.isPresent() && !prometheus) {
      throw intervalValue.get().error("only allowed when name is " + PROMETHEUS);
    }
    if (authValue.isPresent() && !prometheus) {
      throw authValue.get().error("only allowed when name is " + PROMETHEUS);
    }
    if (modelsValue.isPresent() && !name.equals(OLLAMA)) {
      throw modelsValue.get().error("only allowed when name is " + OLLAMA);
    }
    if (simulatorValue.isPresent() && !name.equals(LLM_SIMULATOR)) {
      throw simulatorValue.get().error("only allowed when name is " + LLM_SIMULATOR);
    }
    if (name.equals(LLM_SIMULATOR) && container.isPresent()) {
      throw map.get("container").orElseThrow().error("not used by " + LLM_SIMULATOR
          + ", which runs the orchestrator's own Java; remove it");
    }
    Optional<SimulatorSpec> simulator = simulatorValue.map(SimulatorRecipe::read);
    Optional<Boolean> auth = authValue.map(YamlValue::asBoolean);
    List<String> models = modelsValue.map(RecipeLoader::models).orElse(List.of());
    List<MonitoringTarget> targets = targetsValue.map(RecipeLoader::targets).orElse(List.of());
    Optional<String> scrapeInterval = intervalValue
        .map(v -> v.asMatching(PROMETHEUS_DURATION, "a Prometheus duration like 15s or 1m"));
    return new ServiceSpec(name, description, command, args, container, resources, environment,
        ports, healthCheck, targets, scrapeInterval, exporters, auth, models, setup, simulator);
  }

  /** Ollama model names such as llama3.2:1b, each at most once. */
  private static List<String> models(YamlValue value) {
    if (!value.isList() && !value.isNull()) {
      throw value.expected("a list of model names such as [llama3.2:1b]");
    }
    List<String> out = new ArrayList<>();
    for (YamlValue item : value.asList()) {
      String model = item.asMatching(MODEL, "a model name such as llama3.2:1b (letters, digits, '.', '_', '-', ':', '/')");
      if (out.contains(model)) {
        throw item.error("model " + YamlValue.quote(model) + " is listed twice");
      }
      out.add(model);
    }
    return out;
  }

  /**
   * Rejects what needs the port of a service that has none: an HTTP health check, a probe or
   * ollama exporter, and the {@code {port}} token in args or environment values.
   */
  private static void rejectPortUses(YamlMapping map) {
    String add = ": add 'ports: [N]' to the service (without ports it is ready once its job runs)";
    Optional<YamlValue> health = map.get("health_check");
    if (health.isPresent()) {
      throw health.get().error("an HTTP health check needs a port, and this service lists no ports" + add);
    }
    for (YamlValue item : map.get("exporters").map(YamlValue::asListOrSingle).orElse(List.of())) {
      if (List.of("probe", "ollama").contains(item.asString())) {
        throw item.error("exporter " + YamlValue.quote(item.asString()) + " needs the service's port" + add);
      }
    }
    List<YamlValue> words = new ArrayList<>(map.get("args").map(YamlValue::asList).orElse(List.of()));
    Optional<YamlMapping> env = map.get("environment").map(YamlValue::asMapping);
    env.ifPresent(e -> e.keys().forEach(k -> words.add(e.get(k).orElseThrow())));
    for (YamlValue word : words) {
      if (word.isScalar() && word.asString().contains(PORT_TOKEN)) {
        throw word.error("uses " + PORT_TOKEN + " but the service lists no ports" + add);
      }
    }
  }

  /** Sidecar exporters: each one of {@link ServiceSpec#EXPORTERS}, at most once. */
  private static List<String> exporters(YamlValue value) {
    List<String> out = new ArrayList<>();
    for (YamlValue item : value.asListOrSingle()) {
      String exporter = item.asChoice(ServiceSpec.EXPORTERS);
      if (out.contains(exporter)) {
        throw item.error("exporter " + YamlValue.quote(exporter) + " is listed twice");
      }
      out.add(exporter);
    }
    return out;
  }

  private static String command(YamlValue value) {
    String command = value.asLine();
    if (command.isBlank()) {
      throw value.error("must not be empty");
    }
    return command;
  }

  private static ContainerSpec container(YamlValue value) {
    YamlMapping map = value.asMapping();
    Optional<String> dockerSource = map.get("docker_source").map(YamlValue::asLine);
    Optional<String> imagePath = map.get("image_path").map(YamlValue::asLine);
    List<String> options = map.get("options").map(RecipeLoader::containerOptions).orElse(List.of());
    map.rejectUnknownKeys();
    if (dockerSource.isEmpty() && imagePath.isEmpty()) {
      throw value.error("a container needs docker_source or image_path");
    }
    return new ContainerSpec(dockerSource, imagePath, options);
  }

  /** Options for {@code apptainer exec}: a list of words, each passed as one argv word. */
  private static List<String> containerOptions(YamlValue value) {
    if (!value.isList()) {
      throw value.error("expected a list of apptainer exec options like [--cleanenv, --bind=/data], found "
          + value.kind());
    }
    List<String> options = new ArrayList<>();
    for (YamlValue item : value.asList()) {
      if (!item.isScalar()) {
        throw item.error("expected an option (a string) like --cleanenv, found " + item.kind());
      }
      options.add(item.asLine());
    }
    return options;
  }

  static ResourceSpec resources(YamlValue value) {
    YamlMapping map = value.asMapping();
    ResourceSpec spec = new ResourceSpec(
        map.get("mem").map(SlurmFormats::mem),
        map.get("cpus_per_task").map(YamlValue::asPositiveInt),
        map.get("time").map(SlurmFormats::time),
        map.get("partition").map(SlurmFormats::name),
        map.get("qos").map(SlurmFormats::name),
        map.get("account").map(SlurmFormats::name),
        map.get("nodes").map(YamlValue::asPositiveInt),
        map.get("ntasks").map(YamlValue::asPositiveInt),
        map.get("ntasks_per_node").map(YamlValue::asPositiveInt),
        map.get("gres").map(SlurmFormats::gres),
        map.get("gpus").map(SlurmFormats::gpus),
        map.get("gpus_per_node").map(SlurmFormats::gpus));
    map.rejectUnknownKeys();
    return spec;
  }

  private static Map<String, String> environment(YamlValue value) {
    YamlMapping map = value.asMapping();
    Map<String, String> environment = new LinkedHashMap<>();
    for (String key : map.keys()) {
      if (!ENV_KEY.matcher(key).matches()) {
        throw map.keyError(key, "invalid variable name " + YamlValue.quote(key)
            + ": use letters, digits and '_', not starting with a digit");
      }
      YamlValue item = map.get(key).orElseThrow();
      if (!item.isScalar()) {
        throw item.error("expected a string, number or boolean, found " + item.kind());
      }
      // Values may hold anything but NUL: they are quoted when used, never given raw to a shell.
      environment.put(key, item.asString());
    }
    return environment;
  }

  private static List<Integer> ports(YamlValue value) {
    List<Integer> ports = new ArrayList<>();
    for (YamlValue item : value.asListOrSingle()) {
      int port = item.asPort();
      if (ports.contains(port)) {
        throw item.error("port " + port + " is listed twice");
      }
      ports.add(port);
    }
    return ports;
  }

  private static HealthCheck healthCheck(YamlValue value) {
    YamlMapping map = value.asMapping();
    String endpoint = urlPath(map.require("endpoint"));
    Duration timeout = map.get("timeout").map(YamlValue::asDuration).orElse(DEFAULT_TIMEOUT);
    int retries = map.get("retries").map(YamlValue::asPositiveInt).orElse(DEFAULT_RETRIES);
    Duration interval = map.get("interval").map(YamlValue::asDuration).orElse(DEFAULT_INTERVAL);
    map.rejectUnknownKeys();
    return new HealthCheck(endpoint, timeout, retries, interval);
  }

  private static List<MonitoringTarget> targets(YamlValue value) {
    List<MonitoringTarget> targets = new ArrayList<>();
    Map<String, YamlValue> jobNames = new HashMap<>();
    for (YamlValue item : value.asList()) {
      targets.add(target(item, jobNames));
    }
    return targets;
  }

  /** One target; {@code jobNames} holds the job names of the targets before it. */
  private static MonitoringTarget target(YamlValue value, Map<String, YamlValue> jobNames) {
    YamlMapping map = value.asMapping();
    Optional<String> serviceId = map.get("service_id")
        .map(v -> v.asMatching(SERVICE_ID, "a service ID (letters, digits, '_', '-')"));
    Optional<String> host = map.get("host")
        .map(v -> v.asMatching(HOST, "a host name or IP address (or [IPv6])"));
    Optional<String> service = map.get("service")
        .map(v -> v.asMatching(NAME, "a service name as in a recipe's service.name"));
    boolean session = map.get("session").map(YamlValue::asBoolean).orElse(false);
    YamlValue jobValue = map.require("job_name");
    String jobName = jobValue.asMatching(JOB_NAME,
        "a job name (letters, digits, '_', '.', '-', starting with a letter or '_')");
    Optional<Integer> port = map.get("port").map(YamlValue::asPort);
    String metricsPath = map.get("metrics_path").map(RecipeLoader::urlPath)
        .orElse(DEFAULT_METRICS_PATH);
    map.rejectUnknownKeys();
    int selectors = (serviceId.isPresent() ? 1 : 0) + (host.isPresent() ? 1 : 0) + (service.isPresent() ? 1 : 0)
        + (session ? 1 : 0);
    if (selectors == 0) {
      throw value.error("a target needs service_id or host (or service: NAME, or session: true)");
    }
    if (serviceId.isPresent() && host.isPresent()) {
      throw value.error("service_id and host are exclusive");
    }
    if (selectors > 1) {
      throw value.error("a target names exactly one of service_id, host, service and session: true");
    }
    if (host.isPresent() && port.isEmpty()) {
      throw value.error("a target with host needs a port");
    }
    if (jobName.equals(PROMETHEUS)) {
      throw jobValue.error("job_name 'prometheus' is reserved for Prometheus' own metrics");
    }
    YamlValue previous = jobNames.putIfAbsent(jobName, jobValue);
    if (previous != null) {
      throw jobValue.error("duplicate job_name " + YamlValue.quote(jobName) + " (first on line "
          + previous.line() + ")");
    }
    return new MonitoringTarget(serviceId, host, service, session, jobName, port, metricsPath);
  }

  private static String urlPath(YamlValue value) {
    return value.asMatching(URL_PATH, "a path starting with '/'");
  }
}
