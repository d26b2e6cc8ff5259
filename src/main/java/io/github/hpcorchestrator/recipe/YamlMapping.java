package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML mapping read key by key: every {@link #get}/{@link #require} takes a key, and
 * {@link #rejectUnknownKeys()} then fails on the first key nobody took, suggesting the closest
 * key that was asked for. Keys are unique strings (checked on creation) and keep file order.
 *
 * <p>Not thread-safe; one loader reads one mapping.
 */
public final class YamlMapping {
  private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
  private final YamlValue self;
  private final Map<String, NodeTuple> entries;
  private final Set<String> asked = new LinkedHashSet<>();
  private final Set<String> taken = new LinkedHashSet<>();

  private YamlMapping(YamlValue self, Map<String, NodeTuple> entries) {
    this.self = self;
    this.entries = entries;
  }

  static YamlMapping empty(YamlValue self) {
    return new YamlMapping(self, Map.of());
  }

  /** Checks keys: each a scalar, none twice (SnakeYAML's compose step does not check this). */
  static YamlMapping of(YamlValue self, MappingNode node) {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      YamlValue key = new YamlValue(self.file(), self.path(), tuple.getKeyNode());
      if (!(tuple.getKeyNode() instanceof ScalarNode scalar) || key.isNull()) {
        throw InputException.at(self.file(), key.line(), self.path(),
            "expected a string key, found " + key.kind());
      }
      NodeTuple first = entries.putIfAbsent(scalar.getValue(), tuple);
      if (first != null) {
        throw InputException.at(self.file(), key.line(), self.path(),
            "duplicate key " + YamlValue.quote(scalar.getValue()) + " (first on line "
                + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
      }
    }
    return new YamlMapping(self, entries);
  }

  /** The mapping itself as a value (its path and line, for errors about the whole mapping). */
  public YamlValue value() {
    return self;
  }

  /** Keys in file order, for free-form mappings such as environment variables. */
  public List<String> keys() {
    return new ArrayList<>(entries.keySet());
  }

  /** Takes {@code key}; empty when absent. */
  public Optional<YamlValue> get(String key) {
    asked.add(key);
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      return Optional.empty();
    }
    taken.add(key);
    return Optional.of(self.child(key, tuple.getValueNode()));
  }

  /** True when {@code key} is present; does not take it. */
  public boolean has(String key) {
    return entries.containsKey(key);
  }

  /**
   * Takes {@code key}, failing when it is absent. A left-over key that looks like a misspelling
   * of it is reported instead, since that is the real mistake.
   */
  public YamlValue require(String key) {
    Optional<YamlValue> value = get(key);
    if (value.isPresent()) {
      return value.get();
    }
    for (String other : entries.keySet()) {
      if (!taken.contains(other) && DidYouMean.closest(other, List.of(key)).isPresent()) {
        throw unknownKey(other);
      }
    }
    throw self.error("missing required key '" + key + "'");
  }

  /** An error located at {@code key}'s line, e.g. for a bad environment variable name. */
  public InputException keyError(String key, String message) {
    NodeTuple tuple = entries.get(key);
    int line = tuple == null ? self.line() : tuple.getKeyNode().getStartMark().getLine() + 1;
    return InputException.at(self.file(), line, self.path(), message);
  }

  /** Fails on the first key (in file order) that no {@link #get}/{@link #require} took. */
  public void rejectUnknownKeys() {
    for (String key : entries.keySet()) {
      if (!taken.contains(key)) {
        throw unknownKey(key);
      }
    }
  }

  private InputException unknownKey(String key) {
    // A file's top level shows first whether it is a recipe or config at all; text there that is
    // no key name (a symlink to /etc/shadow gives 'root:$6$...') is not echoed.
    if (self.path().isEmpty() && !KEY_NAME.matcher(key).matches()) {
      return keyError(key, "not a recipe or config file: a top-level key that is no key name (not shown)"
          + (asked.isEmpty() ? "" : "; allowed: " + String.join(", ", asked)));
    }
    String message = "unknown key " + YamlValue.quote(key)
        + DidYouMean.closest(key, asked).map(k -> ", did you mean '" + k + "'?")
            .orElse(asked.isEmpty() ? "" : " (allowed: " + String.join(", ", asked) + ")");
    return keyError(key, message);
  }
}
