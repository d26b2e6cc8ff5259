package io.github.hpcorchestrator.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.client.ClientPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a client's {@code prompts:}: an inline list, {@code {file: F.jsonl}} (checked line by line here,
 * so a bad file fails before anything starts) or {@code {synthetic: {input, output, seed}}}.
 */
final class ClientPromptsReader {
  /** Largest prompts file sent with a job. */
  static final long MAX_FILE_BYTES = 64L << 20;
  static final int MAX_INLINE = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The prompts as the plan names them, and the local file to send along, if any. */
  record Read(ClientPlan.Prompts prompts, Optional<Path> localFile) {}

  private ClientPromptsReader() {
  }

  static Read read(YamlValue value) {
    if (value.isList()) {
      List<YamlValue> items = value.asList();
      if (items.isEmpty() || items.size() > MAX_INLINE) {
        throw value.error("expected 1 to " + MAX_INLINE + " prompts, found " + items.size());
      }
      List<String> prompts = new ArrayList<>();
      items.forEach(item -> prompts.add(item.asString()));
      return new Read(new ClientPlan.Prompts(Optional.of(prompts), Optional.empty(), Optional.empty()),
          Optional.empty());
    }
    if (!value.isMapping()) {
      throw value.expected("a list of prompts, {file: PROMPTS.jsonl} or {synthetic: {input, output, seed}}");
    }
    YamlMapping map = value.asMapping();
    Optional<YamlValue> file = map.get("file");
    Optional<YamlValue> synthetic = map.get("synthetic");
    map.rejectUnknownKeys();
    if (file.isPresent() == synthetic.isPresent()) {
      throw value.error("prompts are either a list, {file: F.jsonl} or {synthetic: ...}, exactly one");
    }
    if (file.isPresent()) {
      Path local = checkedFile(file.get());
      return new Read(new ClientPlan.Prompts(Optional.empty(), Optional.of(ClientSpec.PROMPTS_FILE),
          Optional.empty()), Optional.of(local));
    }
    YamlMapping s = synthetic.get().asMapping();
    ClientPlan.Lengths input = lengths(s.require("input"));
    ClientPlan.Lengths output = lengths(s.require("output"));
    long seed = s.get("seed").map(YamlValue::asInt).orElse(0);
    s.rejectUnknownKeys();
    return new Read(new ClientPlan.Prompts(Optional.empty(), Optional.empty(),
        Optional.of(new ClientPlan.Synthetic(input, output, seed))), Optional.empty());
  }

  private static ClientPlan.Lengths lengths(YamlValue value) {
    YamlMapping map = value.asMapping();
    double mean = ClientLoadReader.number(map.require("mean"), 1, 1_000_000, "a mean length from 1 to 1000000");
    double stddev = map.get("stddev").map(v -> ClientLoadReader.number(v, 0, 1_000_000, "a stddev >= 0"))
        .orElse(0.0);
    int min = map.get("min").map(YamlValue::asPositiveInt).orElse(1);
    Optional<YamlValue> maxValue = map.get("max");
    int max = maxValue.map(YamlValue::asPositiveInt).orElse(Math.max(min, (int) Math.ceil(mean + 4 * stddev)));
    map.rejectUnknownKeys();
    if (max < min) {
      throw maxValue.orElseThrow().error("max " + max + " is below min " + min);
    }
    return new ClientPlan.Lengths(mean, stddev, min, max);
  }

  /** The file, relative to the recipe's folder, as a bounded JSONL of {@code {"prompt": "..."}} objects. */
  private static Path checkedFile(YamlValue value) {
    String name = value.asLine();
    Path base = value.file().toAbsolutePath().getParent();
    Path file = base == null ? Path.of(name) : base.resolve(name);
    try {
      if (!Files.isRegularFile(file)) {
        throw value.error("prompts file " + YamlValue.quote(name) + " not found (looked for " + file + ")");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw value.error("prompts file " + YamlValue.quote(name) + " is over " + (MAX_FILE_BYTES >> 20) + " MiB");
      }
      int prompts = 0;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          checkLine(value, name, number, line);
          prompts++;
        }
      }
      if (prompts == 0) {
        throw value.error("prompts file " + YamlValue.quote(name) + " holds no prompts");
      }
    } catch (NoSuchFileException e) {
      throw value.error("prompts file " + YamlValue.quote(name) + " not found (looked for " + file + ")");
    } catch (IOException e) {
      throw value.error("prompts file " + YamlValue.quote(name) + " cannot be read: not UTF-8 text or "
          + e.getClass().getSimpleName());
    }
    return file;
  }

  private static void checkLine(YamlValue value, String name, int number, String line) {
    String where = "prompts file " + YamlValue.quote(name) + " line " + number + ": ";
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      throw value.error(where + "not JSON; expected one object per line like {\"prompt\": \"Hello\"}");
    }
    if (node == null || !node.isObject() || !node.path("prompt").isTextual()) {
      throw value.error(where + "expected an object with a \"prompt\" string like {\"prompt\": \"Hello\"}");
    }
    JsonNode maxTokens = node.get("max_tokens");
    if (maxTokens != null && (!maxTokens.canConvertToInt() || maxTokens.asInt() < 1)) {
      throw value.error(where + "max_tokens must be an integer >= 1");
    }
  }
}
