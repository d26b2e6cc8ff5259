package io.github.hpcorchestrator.front;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoorArgsTest {
  private static final Optional<Optional<String>> NO = Optional.empty();

  @Test
  void theThreeReadCommandsWithConfigAndOutputAreServable() {
    assertEquals(Optional.of(Optional.empty()), DoorArgs.servable("--status"));
    assertEquals(Optional.of(Optional.of("c.yaml")), DoorArgs.servable("--config", "c.yaml", "--status"));
    assertEquals(Optional.of(Optional.empty()), DoorArgs.servable("--service-endpoint", "abc", "--output", "json"));
    assertEquals(Optional.of(Optional.of("/x/c.yaml")),
        DoorArgs.servable("--output", "text", "--query-service-metrics", "abc", "sum(up)", "--config", "/x/c.yaml"));
  }

  @Test
  void onlyAQueryIsAQuery() {
    assertEquals(true, DoorArgs.isQuery("--output", "json", "--query-service-metrics", "abc", "up"));
    assertEquals(false, DoorArgs.isQuery("--status", "--output", "json"));
    assertEquals(false, DoorArgs.isQuery("--service-endpoint", "abc"));
  }

  @Test
  void anythingElseIsNotServed() {
    assertEquals(NO, DoorArgs.servable());
    assertEquals(NO, DoorArgs.servable("--status", "--verbose"));
    assertEquals(NO, DoorArgs.servable("--status", "--service-endpoint", "abc"));
    assertEquals(NO, DoorArgs.servable("--stop-all-services"));
    assertEquals(NO, DoorArgs.servable("--service-endpoint"));
    assertEquals(NO, DoorArgs.servable("--service-endpoint", "abc", "--tunnel", "8080"));
    assertEquals(NO, DoorArgs.servable("--query-service-metrics", "abc"));
    assertEquals(NO, DoorArgs.servable("--query-service-metrics", "abc", "--status"));
    assertEquals(NO, DoorArgs.servable("--status", "--output", "yaml"));
    assertEquals(NO, DoorArgs.servable("--status", "--output=json"));
    assertEquals(NO, DoorArgs.servable("--status", "--config", "a.yaml", "--config", "b.yaml"));
    assertEquals(NO, DoorArgs.servable("--status", "--config"));
    assertEquals(NO, DoorArgs.servable("--status", "extra"));
  }

  @Test
  void configIsGivenElseAtHomeElseHereElseNone(@TempDir Path dir) throws IOException {
    assertEquals(Optional.of(Path.of("rel/c.yaml").toAbsolutePath().normalize()),
        DoorArgs.configFile(Optional.of("rel/./c.yaml"), null));
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    boolean here = Files.isRegularFile(Path.of("config.yaml"));
    Optional<Path> fallback = here ? Optional.of(Path.of("config.yaml").toAbsolutePath()) : Optional.empty();
    assertEquals(fallback, DoorArgs.configFile(Optional.empty(), home.toString()));
    Files.writeString(home.resolve("config.yaml"), "backend: local\n");
    assertEquals(Optional.of(home.resolve("config.yaml")), DoorArgs.configFile(Optional.empty(), home.toString()));
  }
}
