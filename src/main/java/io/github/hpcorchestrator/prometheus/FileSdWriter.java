package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Renders a file_sd target file: a JSON list of {@code {"targets": [...], "labels": {...}}}
 * groups, which Prometheus re-reads whenever the file changes. Labels are omitted when empty.
 * The same groups always render to the same text.
 */
public final class FileSdWriter {

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The file's JSON text, ending with a newline; an empty list renders as {@code []}. */
  public String write(List<StaticConfig> groups) {
    try {
      return json.writeValueAsString(PrometheusConfigWriter.targetGroups(groups)) + "\n";
    } catch (JsonProcessingException e) {
      // A tree of plain strings always serialises; reaching this is a bug, not bad input.
      throw new UncheckedIOException(e);
    }
  }
}
