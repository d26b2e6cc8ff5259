package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job script template kept as a resource beside its scheduler. Placeholders are
 * {@code {{NAME}}}; values must already be shell-quoted where they land in shell code.
 */
public final class ScriptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");
  private final String name;
  private final String text;

  private ScriptTemplate(String name, String text) {
    this.name = name;
    this.text = text;
  }

  /** Loads the template resource {@code resource} next to {@code owner}. */
  public static ScriptTemplate load(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new OperationFailedException("template resource missing: " + resource);
      }
      return new ScriptTemplate(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OperationFailedException("cannot read template " + resource, e);
    }
  }

  /** Replaces every placeholder; a placeholder without a value is a programming error. */
  public String render(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("template " + name + " needs a value for " + m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
