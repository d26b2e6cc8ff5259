package io.github.hpcorchestrator.service;

import java.util.List;

/** The known service kinds; a name without a kind of its own is generic. */
public final class ServiceKinds {
  private final List<ServiceKind> kinds;
  private final ServiceKind generic = new GenericKind();

  public ServiceKinds(List<ServiceKind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  /** The kind for a recipe's service name. */
  public ServiceKind forName(String serviceName) {
    return kinds.stream().filter(k -> k.name().equals(serviceName)).findFirst().orElse(generic);
  }
}
