package io.github.hpcorchestrator.front;

import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.StayingHolder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The jar's entry point: a call that {@link DoorArgs} allows and whose config has a door runs in
 * the warm connection holder behind it ({@link DoorCall}); every other call, and one the door does
 * not take, runs the full CLI ({@code cli.Main}) in this JVM. Loads only java.base before that. A
 * cold call whose holder begins in this JVM ({@code connection.StayingHolder}) hands its exit code to
 * the launcher ({@link Detach}) and goes on as that holder.
 */
public final class FrontMain {
  private FrontMain() {}

  public static void main(String[] args) {
    // No lambda here: each costs a starting JVM its invokedynamic bootstrap.
    Optional<Optional<String>> servable = DoorArgs.servable(args);
    Optional<Path> config = servable.isPresent()
        ? DoorArgs.configFile(servable.get(), System.getenv("ORCHESTRATOR_HOME")) : Optional.empty();
    Optional<Detach> detach = Detach.offered();
    Optional<StayingHolder> staying = Optional.empty();
    if (config.isPresent()) {
      int code = throughDoor(config.get(), args);
      if (code != DoorCall.NOT_RUN) {
        System.out.flush();
        System.exit(code);
      }
      // A servable call always needs the cluster: its holder, if it has one, starts now, in this
      // JVM where the launcher lets it stay on after the call.
      staying = io.github.hpcorchestrator.cli.HeadStart.begin(config.get(), detach.isPresent(), Detach.calledAt(),
          !DoorArgs.isQuery(args));
    }
    int code = io.github.hpcorchestrator.cli.Main.call(args);
    // A holder still logging in when the call is over ends with it: it would ask no one its prompts.
    if (staying.isPresent() && staying.get().listening() && detach.get().handOver(code, staying.get().log())) {
      try {
        staying.get().goOn();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.exit(0);
    }
    System.exit(code);
  }

  private static int throughDoor(Path config, String[] args) {
    String home = System.getenv("ORCHESTRATOR_HOME");
    Path dir = Doors.dir(System.getenv(), System.getProperty("user.home"));
    Path door = Doors.door(dir, config);
    if (!Files.exists(door, LinkOption.NOFOLLOW_LINKS) || !Doors.isPrivate(dir)) {
      return DoorCall.NOT_RUN;
    }
    nameSelectorProvider();
    return DoorCall.run(door, config, home, Arrays.asList(args), System.out, System.err);
  }

  /**
   * Names the JDK's own Linux selector provider, the one it would pick anyway, where that class
   * exists: without a name the JDK first looks for a provider in every jar of the class path, which
   * cost a warm call 20-30 ms of its ~170 (opening some 30 jars to find nothing).
   */
  private static void nameSelectorProvider() {
    String property = "java.nio.channels.spi.SelectorProvider";
    String linux = "sun.nio.ch.EPollSelectorProvider";
    if (System.getProperty(property) != null) {
      return;
    }
    try {
      Class.forName(linux, false, null);
      System.setProperty(property, linux);
    } catch (ClassNotFoundException | LinkageError e) {
      // Another JDK or OS: the JDK's search finds its default, only slower.
    }
  }
}
