package io.github.hpcorchestrator.testbed;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every test class that asks for a {@link TestCluster} parameter the same cluster: one per
 * test run, brought up on first use and taken down when the run ends (JUnit closes it with the
 * root store). For classes that leave the cluster as they found it; one that breaks it on purpose
 * (stops the controller, drains a node) brings up its own with {@link TestCluster#up()}.
 */
public final class SharedCluster implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestCluster.requirePossible();
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestCluster.class, key -> {
      try {
        return TestCluster.up();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted bringing the shared cluster up", e);
      }
    }, TestCluster.class);
  }
}
