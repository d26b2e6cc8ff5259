package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.InputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a YAML file together with where it is (file, line, dotted key path), with typed
 * conversions that fail as {@link InputException}s of the form {@code file:line: path: message}.
 *
 * <p>Scalars are read from their text as written, not from YAML 1.1's type guesses: an unquoted
 * {@code 02:00:00} stays "02:00:00" (YAML 1.1 would make it the number 7200) and {@code 1.10} stays
 * "1.10". Numbers may be quoted ({@code "9090"}). An empty value ({@code key:} or {@code ~}) is
 * an empty list or mapping where one is expected, and an error everywhere else.
 */
public final class YamlValue {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");
  private static final int QUOTE_LIMIT = 60;

  private final Path file;
  private final String path;
  private final Node node;

  YamlValue(Path file, String path, Node node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /** The file as the user named it. */
  public Path file() {
    return file;
  }

  /** Dotted key path such as {@code service.ports[0]}; empty for the document itself. */
  public String path() {
    return path;
  }

  /** 1-based line where the value starts. */
  public int line() {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** An error located at this value. */
  public InputException error(String message) {
    return InputException.at(file, line(), path, message);
  }

  /** True for {@code key:}, {@code ~} and {@code null} written without quotes. */
  public boolean isNull() {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  public boolean isMapping() {
    return node instanceof MappingNode;
  }

  public boolean isList() {
    return node instanceof SequenceNode;
  }

  /** A non-empty scalar: a string, number or boolean. */
  public boolean isScalar() {
    return node instanceof ScalarNode && !isNull();
  }

  /** What this value is, for "found ..." in messages: "a list", "a string", "an empty value". */
  public String kind() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return "an empty value";
    }
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "a number";
    }
    if (Tag.BOOL.equals(tag)) {
      return "a boolean";
    }
    return "a string";
  }

  /** The value as quoted text for a message (scalars), or its kind (anything else). */
  public String found() {
    return isScalar() ? quote(((ScalarNode) node).getValue()) : kind();
  }

  /** Failure "expected {@code what}, found ..." at this value. */
  public InputException expected(String what) {
    return error("expected " + what + ", found " + found());
  }

  /** Any scalar's text as written (numbers and booleans included); never contains NUL. */
  public String asString() {
    return scalarText("a string");
  }

  /** Like {@link #asString()} but also without line breaks. */
  public String asLine() {
    String text = asString();
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw error("must be a single line, found " + quote(text));
    }
    return text;
  }

  /**
   * A single-line string that matches {@code pattern} in full.
   *
   * @param what the expected form for the message, e.g. "a memory size like 4G"
   */
  public String asMatching(Pattern pattern, String what) {
    String text = scalarText(what);
    if (!pattern.matcher(text).matches()) {
      throw expected(what);
    }
    return text;
  }

  /** A whole number (quoted or not) in int range. */
  public int asInt() {
    return asInt(Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
  }

  /** A whole number of at least 1. */
  public int asPositiveInt() {
    return asInt(1, Integer.MAX_VALUE, "an integer >= 1");
  }

  /** A TCP port, 1-65535. */
  public int asPort() {
    return asInt(1, 65535, "a port number 1-65535");
  }

  private int asInt(int min, int max, String what) {
    String text = scalarText(what).trim();
    if (!INTEGER.matcher(text).matches()) {
      throw expected(what);
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException tooLong) {
      throw expected(what);
    }
    if (value < min || value > max) {
      throw expected(what);
    }
    return (int) value;
  }

  /** true/false, also YAML 1.1's yes/no. */
  public boolean asBoolean() {
    String what = "true or false";
    switch (scalarText(what)) {
      case "true", "True", "TRUE", "yes", "Yes", "YES" -> {
        return true;
      }
      case "false", "False", "FALSE", "no", "No", "NO" -> {
        return false;
      }
      default -> throw expected(what);
    }
  }

  /** A positive duration: "500ms", "30s", "5m", "2h", or a whole number of seconds. */
  public Duration asDuration() {
    String what = "a duration like 30s, 5m, 2h or a number of seconds";
    Matcher m = DURATION.matcher(scalarText(what).trim());
    if (!m.matches()) {
      throw expected(what);
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException tooLong) {
      throw expected(what);
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    // An absurd amount is a typo, and capping it keeps later Duration arithmetic from overflowing.
    if (amount == 0 || amount > 100_000_000L) {
      throw expected("a duration greater than zero like 30s, 5m or 2h");
    }
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  /** One of {@code choices} exactly; a near miss gets a "did you mean" hint. */
  public String asChoice(List<String> choices) {
    String what = "one of " + String.join(", ", choices);
    String text = scalarText(what);
    if (choices.contains(text)) {
      return text;
    }
    String hint = DidYouMean.closest(text, choices).map(c -> ", did you mean '" + c + "'?").orElse("");
    throw error("expected " + what + ", found " + found() + hint);
  }

  /** Elements of a list, each with its {@code [i]} path; an empty value is an empty list. */
  public List<YamlValue> asList() {
    return asList("a list");
  }

  /** Like {@link #asList()}, but a lone scalar counts as a one-element list. */
  public List<YamlValue> asListOrSingle() {
    return isScalar() ? List.of(this) : asList();
  }

  /** A list of scalars as strings (numbers kept as written); each without NUL. */
  public List<String> asStringList() {
    List<String> strings = new ArrayList<>();
    for (YamlValue item : asList("a list of strings")) {
      strings.add(item.asString());
    }
    return strings;
  }

  private List<YamlValue> asList(String what) {
    if (isNull()) {
      return List.of();
    }
    if (!(node instanceof SequenceNode sequence)) {
      throw error("expected " + what + ", found " + kind());
    }
    List<YamlValue> items = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      items.add(new YamlValue(file, path + "[" + items.size() + "]", item));
    }
    return items;
  }

  /**
   * A mapping whose keys the caller takes one by one, then {@link YamlMapping#rejectUnknownKeys()}.
   * An empty value is an empty mapping.
   */
  public YamlMapping asMapping() {
    if (isNull()) {
      return YamlMapping.empty(this);
    }
    if (!(node instanceof MappingNode mapping)) {
      throw error("expected a mapping, found " + kind());
    }
    return YamlMapping.of(this, mapping);
  }

  /** The mapping node as a child value at {@code key}, for {@link YamlMapping}. */
  YamlValue child(String key, Node child) {
    return new YamlValue(file, path.isEmpty() ? key : path + "." + key, child);
  }

  private String scalarText(String what) {
    if (!isScalar()) {
      throw error("expected " + what + ", found " + kind());
    }
    String text = ((ScalarNode) node).getValue();
    if (text.indexOf('\0') >= 0) {
      throw error("must not contain a NUL character");
    }
    return text;
  }

  /**
   * Text in single quotes for a one-line message: line breaks and other control characters are
   * escaped, and long text is cut, so a hostile value cannot forge extra output lines.
   */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < text.length(); i++) {
      if (shown++ == QUOTE_LIMIT) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('\'').toString();
  }

  @Override
  public String toString() {
    return file + ":" + line() + ": " + path;
  }
}
