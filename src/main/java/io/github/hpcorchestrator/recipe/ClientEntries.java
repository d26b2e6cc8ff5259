package io.github.hpcorchestrator.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads a recipe's {@code client:} (one) or {@code clients:} (a list, kept in order), never both. */
final class ClientEntries {
  private ClientEntries() {
  }

  static List<ClientSpec> read(YamlMapping top, Optional<YamlValue> one, Optional<YamlValue> many,
      List<ServiceSpec> services) {
    if (one.isPresent() && many.isPresent()) {
      throw top.keyError("clients", "use either 'client' (one) or 'clients' (a list), not both");
    }
    Set<String> names = services.stream().map(ServiceSpec::name).collect(Collectors.toSet());
    ClientSpecReader reader = new ClientSpecReader(names);
    List<ClientSpec> clients = new ArrayList<>();
    if (one.isPresent()) {
      clients.add(reader.read(one.get()));
    } else if (many.isPresent()) {
      List<YamlValue> items = many.get().asList();
      if (items.isEmpty()) {
        throw many.get().error("expected at least one client");
      }
      for (YamlValue item : items) {
        clients.add(reader.read(item));
      }
    }
    return clients;
  }
}
