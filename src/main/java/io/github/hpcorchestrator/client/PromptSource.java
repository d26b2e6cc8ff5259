package io.github.hpcorchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** The prompts of a run, fixed before it starts, handed out in turn by request index. */
final class PromptSource {
  /** One request's prompt and, where the source sets one, its output token cap. */
  record Prompt(String text, Optional<Integer> maxTokens) {
  }

  // Bounds what a prompts file may hold, so a wrong file cannot fill the heap.
  private static final int MAX_PROMPTS = 100_000;
  private static final int MAX_LINE_CHARS = 1 << 20;
  private static final int SYNTHETIC_COUNT = 1024;
  private static final String[] WORDS = {"the", "cluster", "node", "model", "token", "request", "stream",
      "latency", "batch", "queue", "answer", "question", "story", "data", "time", "first"};

  private final List<Prompt> prompts;

  private PromptSource(List<Prompt> prompts) {
    this.prompts = prompts;
  }

  /** The prompt of request {@code index}. */
  Prompt get(long index) {
    return prompts.get((int) (index % prompts.size()));
  }

  /** Loads the prompts {@code spec} names; a file is resolved against {@code jobDir}. */
  static PromptSource load(ClientPlan.Prompts spec, Path jobDir) throws BadPlanException {
    if (spec.inline().isPresent()) {
      return new PromptSource(spec.inline().get().stream().map(t -> new Prompt(t, Optional.empty())).toList());
    }
    if (spec.file().isPresent()) {
      return new PromptSource(readFile(jobDir.resolve(spec.file().get()), spec.file().get()));
    }
    return new PromptSource(synthetic(spec.synthetic().get()));
  }

  private static List<Prompt> readFile(Path path, String name) throws BadPlanException {
    if (!Files.isRegularFile(path)) {
      throw new BadPlanException(name + ": prompts.file: expected a readable JSONL file, found none at " + path);
    }
    ObjectMapper json = new ObjectMapper();
    List<Prompt> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (line.length() > MAX_LINE_CHARS || out.size() >= MAX_PROMPTS) {
          throw new BadPlanException(name, "line " + number, "at most " + MAX_PROMPTS + " lines of at most "
              + MAX_LINE_CHARS + " characters", "more");
        }
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (IOException e) {
          throw new BadPlanException(name, "line " + number, "a JSON object", "text that is not JSON");
        }
        if (node == null || !node.isObject() || !node.path("prompt").isTextual()) {
          throw new BadPlanException(name, "line " + number + ".prompt", "a string", node == null ? "nothing"
              : node.getNodeType().toString().toLowerCase());
        }
        JsonNode max = node.path("max_tokens");
        if (!max.isMissingNode() && !(max.canConvertToInt() && max.isIntegralNumber() && max.asInt() > 0)) {
          throw new BadPlanException(name, "line " + number + ".max_tokens", "an integer > 0", max.toString());
        }
        out.add(new Prompt(node.get("prompt").asText(),
            max.isMissingNode() ? Optional.empty() : Optional.of(max.asInt())));
      }
    } catch (IOException e) {
      throw new BadPlanException(name + ": prompts.file: expected a readable JSONL file, found " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new BadPlanException(name, "prompts.file", "at least one prompt line", "an empty file");
    }
    return out;
  }

  private static List<Prompt> synthetic(ClientPlan.Synthetic s) {
    Random random = new Random(s.seed());
    List<Prompt> out = new ArrayList<>(SYNTHETIC_COUNT);
    for (int i = 0; i < SYNTHETIC_COUNT; i++) {
      int words = draw(random, s.input());
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < words; w++) {
        text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      out.add(new Prompt(text.toString(), Optional.of(draw(random, s.output()))));
    }
    return out;
  }

  private static int draw(Random random, ClientPlan.Lengths l) {
    long value = Math.round(l.mean() + l.stddev() * random.nextGaussian());
    return (int) Math.max(l.min(), Math.min(l.max(), value));
  }
}
