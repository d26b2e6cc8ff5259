package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** Prints views in the chosen output format, and progress lines on stderr. */
final class Printer {
  private final PrintWriter out;
  private final PrintWriter err;
  private final OutputFormat format;

  Printer(PrintWriter out, PrintWriter err, OutputFormat format) {
    this.out = out;
    this.err = err;
    this.format = format;
  }

  PrintWriter out() {
    return out;
  }

  /** Prints {@code view} as text or as indented JSON (numbers without exponent), then flushes. */
  void print(View view) {
    out.print(format == OutputFormat.json ? json(view.json().get()) + "\n" : view.text().get());
    out.flush();
  }

  /** One progress line on stderr. */
  void progress(String line) {
    err.println(line);
    err.flush();
  }

  /** {@code node} as indented JSON; big decimals plain so times never read 1.79E9. */
  static String json(JsonNode node) {
    try {
      // The mapper is made only for JSON output: building one costs a text-mode call ~50 ms of start-up.
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).writeValueAsString(node);
    } catch (IOException e) {
      throw new OperationFailedException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array(List<String> values) {
    ArrayNode node = JsonNodeFactory.instance.arrayNode();
    values.forEach(node::add);
    return node;
  }
}
