package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What one CLI call printed and returned, in-process ({@link LocalCli#call}) or as its own JVM
 * ({@link LocalCli#runIn}, {@link SlurmCli#run}): the one result type of every CLI test.
 *
 * @param code the exit status
 * @param out what it wrote to stdout
 * @param err what it wrote to stderr
 */
record CliResult(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Stdout read as JSON; fails with both streams shown when it is not JSON. */
  JsonNode json() {
    try {
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + out + "\nstderr: " + err, e);
    }
  }
}
