package io.github.hpcorchestrator.front;

import io.github.hpcorchestrator.connection.Doors;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The jar's entry point: a call that {@link DoorArgs} allows and whose config has a door runs in
 * the warm connection holder behind it ({@link DoorCall}); every other call, and one the door does
 * not take, runs the full CLI ({@code cli.Main}) in this JVM. Loads only java.base before that.
 */
public final class FrontMain {
  private FrontMain() {}

  public static void main(String[] args) {
    int code = throughDoor(args);
    if (code != DoorCall.NOT_RUN) {
      System.out.flush();
      System.exit(code);
    }
    io.github.hpcorchestrator.cli.Main.main(args);
  }

  private static int throughDoor(String[] args) {
    Optional<Optional<String>> servable = DoorArgs.servable(args);
    if (servable.isEmpty()) {
      return DoorCall.NOT_RUN;
    }
    String home = System.getenv("ORCHESTRATOR_HOME");
    Optional<Path> config = DoorArgs.configFile(servable.get(), home);
    if (config.isEmpty()) {
      return DoorCall.NOT_RUN;
    }
    Path dir = Doors.dir(System.getenv(), System.getProperty("user.home"));
    Path door = Doors.door(dir, config.get());
    if (!Files.exists(door, LinkOption.NOFOLLOW_LINKS) || !Doors.isPrivate(dir)) {
      return DoorCall.NOT_RUN;
    }
    return DoorCall.run(door, config.get(), home, Arrays.asList(args), System.out, System.err);
  }
}
