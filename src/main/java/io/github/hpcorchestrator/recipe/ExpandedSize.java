package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.InputException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Measures a composed YAML graph as if every alias were written out, without writing it out: each
 * node is measured once (aliases share their anchor's node), so a bomb is rejected in time
 * proportional to the file, not to its expansion.
 */
final class ExpandedSize {
  private static final long IN_PROGRESS = -1;

  private final Path file;
  private final long limit;
  private final Map<Node, Long> sizes = new IdentityHashMap<>();

  private ExpandedSize(Path file, long limit) {
    this.file = file;
    this.limit = limit;
  }

  /** Fails when the document written out in full would exceed {@code limit} (scalar characters plus one per node). */
  static void check(Path file, Node root, long limit) {
    new ExpandedSize(file, limit).size(root);
  }

  private long size(Node node) {
    Long known = sizes.get(node);
    if (known != null) {
      if (known == IN_PROGRESS) {
        throw InputException.at(file, line(node), "", "an alias refers to a mapping or list that contains it");
      }
      return known;
    }
    sizes.put(node, IN_PROGRESS);
    long size = 1;
    if (node instanceof ScalarNode scalar) {
      size += scalar.getValue().length();
    } else if (node instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        size = add(size, size(item), node);
      }
    } else if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        size = add(size, size(tuple.getKeyNode()), node);
        size = add(size, size(tuple.getValueNode()), node);
      }
    }
    sizes.put(node, size);
    return size;
  }

  private long add(long size, long more, Node at) {
    long sum = size + more;
    if (sum > limit) {
      throw InputException.at(file, line(at), "", "aliases expand the document beyond the limit of "
          + limit + " characters (scalars written out in full)");
    }
    return sum;
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
