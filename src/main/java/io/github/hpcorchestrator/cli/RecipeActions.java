package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.SessionStart;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** --list-services and --recipe (with --dry-run, --no-wait). */
final class RecipeActions {
  private RecipeActions() {}

  /** The recipes in {@code dir} and its services/ folder, by the names --recipe accepts. */
  static View list(Path dir) throws IOException {
    List<String> names = new java.util.ArrayList<>();
    for (Path base : bases(dir)) {
      yamlNames(base).stream().filter(n -> !names.contains(n)).forEach(names::add);
    }
    names.sort(null);
    return new View(() -> "Available recipes in " + dir + ":\n" + (names.isEmpty() ? "  (none)\n"
            : String.join("\n", names.stream().map(n -> "  " + n).toList()) + "\n"),
        () -> Printer.object().<ObjectNode>put("recipes_dir", dir.toString()).set("recipes", Printer.array(names)));
  }

  private static List<String> yamlNames(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .sorted().toList();
    }
  }

  /**
   * {@code typed} if it exists, else the first NAME or NAME.yaml that exists in the folders of
   * {@link #bases}, else {@code typed} (whose load then says "file not found").
   */
  static Path resolve(Path typed, Path recipesDir) {
    if (Files.exists(typed) || typed.isAbsolute()) {
      return typed;
    }
    String name = typed.toString();
    for (Path base : bases(recipesDir)) {
      for (String candidate : List.of(name, name + ".yaml")) {
        Path p = base.resolve(candidate);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return typed;
  }

  /**
   * Where recipe names are looked up: recipes_dir, its services/ and sessions/ folders, and the
   * sessions/ folder beside it (the shipped layout: recipes/services next to recipes/sessions).
   */
  private static List<Path> bases(Path recipesDir) {
    Path beside = recipesDir.toAbsolutePath().normalize().resolveSibling("sessions");
    return List.of(recipesDir, recipesDir.resolve("services"), recipesDir.resolve("sessions"), beside);
  }

  /** Starts the session of {@code recipe} and shows each service's job, state and endpoint. */
  static View start(BenchmarkOrchestrator orchestrator, Recipe recipe, boolean wait) {
    return view(orchestrator, orchestrator.startBenchmarkSession(recipe, wait));
  }

  /** Each service of a started session with its job, state and endpoint. */
  static View view(BenchmarkOrchestrator orchestrator, SessionStart start) {
    Map<String, ServiceStatus> byId = new LinkedHashMap<>();
    orchestrator.servers().refresh().forEach(s -> byId.put(s.serviceId(), s));
    return new View(() -> {
      StringBuilder text = new StringBuilder();
      for (String id : start.serviceIds()) {
        ServiceStatus s = byId.get(id);
        text.append("Started ").append(id).append(" (job ").append(s.record().jobId()).append(", ")
            .append(s.state());
        s.endpoint().ifPresent(e -> text.append(", ").append(e.api()));
        if (s.record().port() != 0 && s.record().requestedPort() != 0 && s.record().port() != s.record().requestedPort()) {
          text.append("; port ").append(s.record().requestedPort()).append(" was taken, got ").append(s.record().port());
        }
        text.append(")\n");
      }
      return text + "Benchmark session started: " + start.sessionId() + "\n";
    }, () -> {
      ObjectNode root = Printer.object().put("session_id", start.sessionId());
      ArrayNode services = root.putArray("services");
      for (String id : start.serviceIds()) {
        ServiceStatus s = byId.get(id);
        ObjectNode row = services.addObject().put("service_id", id).put("job_id", s.record().jobId())
            .put("state", s.state().name());
        if (s.record().port() != 0) {
          row.put("port", s.record().port());
        }
        s.endpoint().ifPresent(e -> row.put("endpoint", e.api()));
      }
      return root;
    });
  }
}
