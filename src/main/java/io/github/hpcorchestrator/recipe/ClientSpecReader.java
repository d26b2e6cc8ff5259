package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.client.ClientPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one {@code client:} entry of a recipe strictly (unknown keys, wrong types, contradictory load
 * settings and targets outside the session fail with a located one-line {@code InputException}).
 * Stateless apart from the session's service names it checks targets against.
 */
final class ClientSpecReader {
  static final List<String> WORKLOADS = List.of("http", "ollama", "openai");
  private static final List<String> OLLAMA_PATHS = List.of("/api/generate", "/api/chat");
  private static final List<String> OPENAI_PATHS = List.of("/v1/completions", "/v1/chat/completions");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,47}");
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9_-]+");
  // Scheme, host (or [IPv6]) and port, no path: the workload names the path.
  private static final Pattern URL = Pattern.compile(
      "https?://([A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");
  private static final Pattern URL_PATH = Pattern.compile("/[^\\s]*");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_BODY = 64 * 1024;

  private final Set<String> sessionServices;

  /** @param sessionServices names of the services in the same recipe, which {@code target.service} may name */
  ClientSpecReader(Set<String> sessionServices) {
    this.sessionServices = Set.copyOf(sessionServices);
  }

  ClientSpec read(YamlValue value) {
    YamlMapping map = value.asMapping();
    String name = map.require("name").asMatching(NAME,
        "a name of 1-48 letters, digits, '_' or '-', starting with a letter");
    String description = map.get("description").map(YamlValue::asLine).orElse("");
    Optional<YamlValue> targetValue = map.get("target");
    Optional<YamlValue> workloadValue = map.get("workload");
    Optional<YamlValue> promptsValue = map.get("prompts");
    Optional<YamlValue> loadValue = map.get("load");
    Optional<YamlValue> errorRateValue = map.get("max_error_rate");
    ResourceSpec resources = map.get("resources").map(RecipeLoader::resources).orElse(ResourceSpec.none());
    map.rejectUnknownKeys();
    ClientTarget target = target(targetValue.orElseThrow(() -> value.error(
        "a client needs a target: {service: NAME}, {service_id: ID} or {url: http://HOST:PORT}")));
    ClientPlan.Workload workload = workload(workloadValue.orElseThrow(() -> value.error(
        "a client needs a workload: {type: " + String.join("|", WORKLOADS) + ", ...}")));
    ClientPromptsReader.Read prompts = promptsValue.map(ClientPromptsReader::read)
        .orElseGet(() -> defaultPrompts(value, workload));
    ClientPlan.Load load = ClientLoadReader.read(loadValue.orElseThrow(() -> value.error(
        "a client needs a load: {concurrency: N} or {rate: R}, with requests or duration")));
    double maxErrorRate = errorRateValue.map(v -> ClientLoadReader.number(v, 0, 1, "a fraction from 0 to 1"))
        .orElse(0.0);
    return new ClientSpec(name, description, target, workload, prompts.prompts(), prompts.localFile(), load,
        maxErrorRate, resources);
  }

  /** An http workload may send its body as it is; an LLM workload needs something to ask. */
  private static ClientPromptsReader.Read defaultPrompts(YamlValue client, ClientPlan.Workload workload) {
    if (!workload.type().equals("http")) {
      throw client.error("a " + workload.type() + " client needs prompts: a list, {file: F.jsonl} or {synthetic: ...}");
    }
    return new ClientPromptsReader.Read(
        new ClientPlan.Prompts(Optional.of(List.of("")), Optional.empty(), Optional.empty()), Optional.empty());
  }

  private ClientTarget target(YamlValue value) {
    YamlMapping map = value.asMapping();
    Optional<String> serviceId = map.get("service_id")
        .map(v -> v.asMatching(SERVICE_ID, "a service ID (letters, digits, '_', '-')"));
    Optional<YamlValue> serviceValue = map.get("service");
    Optional<String> url = map.get("url").map(v -> v.asMatching(URL,
        "a URL of scheme, host and port without a path, like http://node3:8000"));
    map.rejectUnknownKeys();
    Optional<String> service = serviceValue.map(v -> v.asMatching(NAME, "a service name as in services[].name"));
    int set = (serviceId.isPresent() ? 1 : 0) + (service.isPresent() ? 1 : 0) + (url.isPresent() ? 1 : 0);
    if (set != 1) {
      throw value.error("a target names exactly one of service, service_id and url, found " + set);
    }
    if (service.isPresent() && !sessionServices.contains(service.get())) {
      throw serviceValue.get().error("service " + YamlValue.quote(service.get()) + " is not in this session"
          + (sessionServices.isEmpty() ? " (the recipe has no services)"
              : DidYouMean.closest(service.get(), sessionServices).map(s -> ", did you mean '" + s + "'?")
                  .orElse(" (services: " + String.join(", ", sessionServices.stream().sorted().toList()) + ")")));
    }
    return new ClientTarget(serviceId, service, url);
  }

  private static ClientPlan.Workload workload(YamlValue value) {
    YamlMapping map = value.asMapping();
    String type = map.require("type").asChoice(WORKLOADS);
    Optional<YamlValue> methodValue = map.get("method");
    Optional<YamlValue> pathValue = map.get("path");
    Map<String, String> headers = map.get("headers").map(ClientSpecReader::headers).orElse(Map.of());
    Optional<YamlValue> bodyValue = map.get("body");
    Optional<YamlValue> modelValue = map.get("model");
    Optional<YamlValue> maxTokensValue = map.get("max_tokens");
    Optional<YamlValue> temperatureValue = map.get("temperature");
    double timeout = map.get("timeout").map(YamlValue::asDuration).orElse(DEFAULT_TIMEOUT).toMillis() / 1000.0;
    map.rejectUnknownKeys();
    boolean http = type.equals("http");
    for (Optional<YamlValue> httpOnly : List.of(methodValue, bodyValue)) {
      if (httpOnly.isPresent() && !http) {
        throw httpOnly.get().error("only allowed for workload type http (" + type + " builds its own request)");
      }
    }
    for (Optional<YamlValue> llmOnly : List.of(modelValue, maxTokensValue, temperatureValue)) {
      if (llmOnly.isPresent() && http) {
        throw llmOnly.get().error("only allowed for workload types ollama and openai");
      }
    }
    String path = switch (type) {
      case "ollama" -> pathValue.map(v -> v.asChoice(OLLAMA_PATHS)).orElse(OLLAMA_PATHS.get(0));
      case "openai" -> pathValue.map(v -> v.asChoice(OPENAI_PATHS)).orElse(OPENAI_PATHS.get(0));
      default -> pathValue.map(v -> v.asMatching(URL_PATH, "a path starting with '/'")).orElse("/");
    };
    Optional<String> model = modelValue.map(v -> v.asMatching(MODEL, "a model name such as llama3.2:1b"));
    if (!http && model.isEmpty()) {
      throw value.error("a " + type + " workload needs a model");
    }
    Optional<String> body = bodyValue.map(YamlValue::asString);
    if (body.isPresent() && body.get().length() > MAX_BODY) {
      throw bodyValue.get().error("a body of at most " + MAX_BODY + " characters, found " + body.get().length());
    }
    return new ClientPlan.Workload(type, methodValue.map(v -> v.asChoice(METHODS)), path, headers, body, model,
        maxTokensValue.map(YamlValue::asPositiveInt),
        temperatureValue.map(v -> ClientLoadReader.number(v, 0, 10, "a temperature from 0 to 10")), timeout);
  }

  private static Map<String, String> headers(YamlValue value) {
    YamlMapping map = value.asMapping();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String key : map.keys()) {
      if (!HEADER.matcher(key).matches()) {
        throw map.keyError(key, "invalid header name " + YamlValue.quote(key));
      }
      headers.put(key, map.get(key).orElseThrow().asLine());
    }
    return headers;
  }
}
