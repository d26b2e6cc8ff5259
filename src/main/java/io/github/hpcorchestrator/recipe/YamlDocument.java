package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
  /** The largest recipe or config file read, in bytes (1 MiB); checked before and while reading. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /**
   * The largest document once every alias is replaced by what it names, counted as characters of
   * scalars plus one per node (2 Mi): SnakeYAML limits aliases of collections only, so one long
   * scalar used many times would otherwise expand to gigabytes later on.
   */
  public static final long MAX_EXPANDED_SIZE = 2L << 20;

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
    options.setCodePointLimit(MAX_FILE_BYTES);
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
    ExpandedSize.check(file, root, MAX_EXPANDED_SIZE);
    YamlValue value = new YamlValue(file, "", root);
    return value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static String readText(Path file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new InputException("file not found: " + file);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())));
    }
    // Checked before opening: opening a FIFO waits for a writer, and a device never ends.
    if (attributes.isDirectory()) {
      throw new InputException(file + ": is a directory, expected a YAML file");
    }
    if (!attributes.isRegularFile()) {
      throw new InputException(file + ": not a regular file (a FIFO, device or socket), expected a YAML file");
    }
    if (attributes.size() > MAX_FILE_BYTES) {
      throw tooLarge(file);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // The file may have grown since its size was read: never read past the limit.
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw tooLarge(file);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InputException(file + ": not valid UTF-8 text");
    }
  }

  private static InputException tooLarge(Path file) {
    return new InputException(file + ": larger than the limit of " + MAX_FILE_BYTES
        + " bytes for a YAML file");
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "unreadable document";
    }
    // Messages are one line: any run of whitespace, line breaks and tabs included, becomes a space.
    return text.strip().replaceAll("\\s+", " ");
  }
}
