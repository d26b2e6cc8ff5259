package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/**
 * One result rendered two ways: text for people and JSON for scripts, both from the same value.
 *
 * @param text the text form, built only when text is printed
 * @param json the JSON form, built only when JSON is printed
 */
record View(Supplier<String> text, Supplier<JsonNode> json) {}
