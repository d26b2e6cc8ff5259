package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns what a user typed into exactly one known service ID: the full ID, or its unique 8-hex
 * part. Never a substring or prefix match.
 */
public final class ServiceIdResolver {
  private ServiceIdResolver() {}

  /**
   * @param typed what the user typed
   * @param known every service ID the orchestrator knows (state and scheduler)
   * @throws InputException when nothing or more than one ID matches
   */
  public static String resolve(String typed, Collection<String> known) {
    if (known.contains(typed)) {
      return typed;
    }
    if (ServiceId.HEX.matcher(typed).matches()) {
      List<String> matches = known.stream().distinct()
          .filter(id -> ServiceId.FULL.matcher(id).matches() && ServiceId.hexPart(id).equals(typed))
          .sorted().toList();
      if (matches.size() == 1) {
        return matches.get(0);
      }
      if (matches.size() > 1) {
        throw new InputException("service ID '" + typed + "' is ambiguous: it matches "
            + String.join(", ", matches) + "; give the full ID");
      }
    } else if (!ServiceId.FULL.matcher(typed).matches()) {
      throw new InputException("'" + printable(typed) + "' is not a service ID: expected <name>_<8 hex>"
          + " (e.g. prometheus_6355d49f) or its 8 hex digits");
    }
    throw new InputException("no service with ID '" + typed + "' (see --status for the services known)");
  }

  private static String printable(String s) {
    return s.chars().mapToObj(c -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c))
        .collect(Collectors.joining());
  }
}
