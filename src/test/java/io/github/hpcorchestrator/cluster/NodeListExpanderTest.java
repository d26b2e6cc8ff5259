package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeListExpanderTest {

  @Test
  void expandsRanges() {
    assertThat(NodeListExpander.expand("node[1-3]")).containsExactly("node1", "node2", "node3");
  }

  @Test
  void keepsZeroPaddingAndMixesRangesWithSingles() {
    assertThat(NodeListExpander.expand("node[01-03,7]"))
        .containsExactly("node01", "node02", "node03", "node7");
    assertThat(NodeListExpander.expand("n[08-10]")).containsExactly("n08", "n09", "n10");
  }

  @Test
  void expandsSeveralNamesAndSuffixes() {
    assertThat(NodeListExpander.expand("a1,b[2-3]")).containsExactly("a1", "b2", "b3");
    assertThat(NodeListExpander.expand("gpu-[1-2]-x")).containsExactly("gpu-1-x", "gpu-2-x");
    assertThat(NodeListExpander.expand("r[1-2]n[1-2]")).containsExactly("r1n1", "r1n2", "r2n1", "r2n2");
  }

  @Test
  void emptyForNoNodes() {
    assertThat(NodeListExpander.expand("")).isEmpty();
    assertThat(NodeListExpander.expand("(null)")).isEmpty();
    assertThat(NodeListExpander.expand("None assigned")).isEmpty();
  }

  @Test
  void rejectsMalformedLists() {
    assertThatThrownBy(() -> NodeListExpander.expand("node[1-3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeListExpander.expand("node[3-1]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeListExpander.expand("node[a-b]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeListExpander.expand("node[1-9999999]")).isInstanceOf(IllegalArgumentException.class);
  }
}
