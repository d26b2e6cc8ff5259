package io.github.hpcorchestrator.cli;

/** How the CLI prints results: for people, or as JSON for scripts. */
public enum OutputFormat {
  text,
  json
}
