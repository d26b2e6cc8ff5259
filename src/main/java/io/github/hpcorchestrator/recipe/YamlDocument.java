package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.InputException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one YAML file into a {@link YamlValue} tree. Only SnakeYAML's compose step runs, so no
 * objects are ever constructed from tags; every failure is an {@link InputException}, never a
 * raw SnakeYAML exception.
 */
public final class YamlDocument {
  private YamlDocument() {}

  /**
   * The file's single document, or empty when the file holds none (empty, only comments, or only
   * {@code ~}).
   *
   * @param file used as given in every message, so a relative path stays relative
   * @throws InputException "file not found: PATH", "PATH:LINE: invalid YAML: problem", and the like
   */
  public static Optional<YamlValue> read(Path file) {
    String text = readText(file);
    LoaderOptions options = new LoaderOptions();
    // Compose does not act on this today (YamlMapping checks duplicates itself); set for intent.
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    Node root;
    try {
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw InputException.at(file, mark == null ? 0 : mark.getLine() + 1, "",
          "invalid YAML: " + oneLine(problem));
    } catch (YAMLException e) {
      throw InputException.at(file, 0, "", "invalid YAML: " + oneLine(e.getMessage()));
    }
    if (root == null) {
      return Optional.empty();
    }
    YamlValue value = new YamlValue(file, "", root);
    return value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static String readText(Path file) {
    if (Files.isDirectory(file)) {
      throw new InputException(file + ": is a directory, expected a YAML file");
    }
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InputException("file not found: " + file);
    } catch (CharacterCodingException e) {
      throw new InputException(file + ": not valid UTF-8 text");
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())));
    }
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "unreadable document";
    }
    // Messages are one line: any run of whitespace, line breaks and tabs included, becomes a space.
    return text.strip().replaceAll("\\s+", " ");
  }
}
