package io.github.hpcorchestrator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** No package of src/main uses, directly or through others, a package that uses it back. */
class PackageCyclesTest {
  private static final String ROOT = "io.github.hpcorchestrator";
  /**
   * The root package holds both the facade (which uses every package) and the exceptions (which every
   * package uses); its classes that use nothing outside this base layer are a node of their own.
   */
  private static final String BASE = ROOT + " (base: exceptions)";

  @Test
  void noPackageCycles() throws IOException {
    Map<String, Set<String>> graph = packageGraph(ClassDependencies.of(Path.of("target/classes")));

    List<Set<String>> cycles = new ArrayList<>();
    for (Set<String> component : new StronglyConnected(graph).components()) {
      if (component.size() > 1) {
        cycles.add(component);
      }
    }
    assertThat(cycles).as("packages that use each other (edges: %s)", edgesWithin(graph, cycles)).isEmpty();
  }

  @Test
  void theOldCyclesWouldBeFound() {
    Map<String, Set<String>> graph = new TreeMap<>(Map.of("report", Set.of("monitor"), "monitor", Set.of("report"),
        "cli", Set.of("report")));

    assertThat(new StronglyConnected(graph).components()).contains(Set.of("monitor", "report"));
  }

  static Map<String, Set<String>> packageGraph(Map<String, Set<String>> classes) {
    Set<String> base = baseLayer(classes);
    Map<String, Set<String>> graph = new TreeMap<>();
    classes.forEach((cls, uses) -> {
      String from = node(cls, base);
      Set<String> edges = graph.computeIfAbsent(from, k -> new TreeSet<>());
      // Only names that are classes: a resource path such as "io/github/hpcorchestrator/report" is not.
      uses.stream().filter(classes::containsKey).map(u -> node(u, base)).filter(to -> !to.equals(from)).forEach(edges::add);
    });
    return graph;
  }

  private static Set<String> baseLayer(Map<String, Set<String>> classes) {
    Set<String> base = new TreeSet<>();
    classes.keySet().stream().filter(c -> pkg(c).equals(ROOT)).forEach(base::add);
    boolean changed = true;
    while (changed) {
      changed = base.removeIf(c -> classes.get(c).stream().anyMatch(u -> classes.containsKey(u) && !base.contains(u)));
    }
    return base;
  }

  private static String node(String cls, Set<String> base) {
    return base.contains(cls) ? BASE : pkg(cls);
  }

  private static String pkg(String cls) {
    return cls.substring(0, cls.lastIndexOf('.'));
  }

  private static List<String> edgesWithin(Map<String, Set<String>> graph, List<Set<String>> cycles) {
    List<String> edges = new ArrayList<>();
    for (Set<String> cycle : cycles) {
      for (String from : cycle) {
        graph.get(from).stream().filter(cycle::contains).forEach(to -> edges.add(from + " -> " + to));
      }
    }
    return edges;
  }

  /** Tarjan's strongly connected components of a directed graph. */
  static final class StronglyConnected {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Set<String>> components = new ArrayList<>();

    StronglyConnected(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    List<Set<String>> components() {
      graph.keySet().forEach(v -> {
        if (!index.containsKey(v)) {
          visit(v);
        }
      });
      return components;
    }

    private void visit(String v) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.push(v);
      onStack.add(v);
      for (String w : graph.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        Set<String> component = new TreeSet<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        components.add(component);
      }
    }
  }
}
