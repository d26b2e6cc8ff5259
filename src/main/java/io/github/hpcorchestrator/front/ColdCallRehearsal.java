package io.github.hpcorchestrator.front;

import io.github.hpcorchestrator.cli.HeadStart;
import io.github.hpcorchestrator.cli.Main;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.Holders;
import io.github.hpcorchestrator.connection.LaunchRecord;
import io.github.hpcorchestrator.connection.LoginRehearsal;
import io.github.hpcorchestrator.connection.StayingHolder;
import io.github.hpcorchestrator.files.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What ./orchestrator records the class-data archive of every JVM of ours from, once per build: a
 * day's first call to a cluster, rehearsed against an SSH server in this JVM ({@link
 * LoginRehearsal.Server}). The call finds its launch record, logs in itself as the holder that
 * stays on, runs --status through that holder's remote shell (the rehearsal's login node has no
 * SLURM: the call fails, after the path is taken), then a call comes through the holder's door and
 * --disconnect ends it; then a holder JVM's own login, forward and CLI warm-up. Run with
 * XDG_RUNTIME_DIR pointing at a folder of the run's own, so the user's doors folder is untouched.
 */
public final class ColdCallRehearsal {
  private ColdCallRehearsal() {}

  /** Exits 0 after a full rehearsal, 1 (with one line) when a step failed. */
  public static void main(String[] args) {
    try {
      Path dir = Files.createTempDirectory("hpc-orchestrator-rehearsal");
      try {
        rehearse(dir);
      } finally {
        FileTrees.remove(dir);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      System.err.println("cold call rehearsal failed: " + e);
      System.exit(1);
    }
    System.exit(0);
  }

  /** One rehearsal with its files in {@code dir}; the doors folder is the environment's. */
  static void rehearse(Path dir) throws IOException, GeneralSecurityException {
    try (LoginRehearsal.Server server = LoginRehearsal.Server.start(dir)) {
      HpcConfig hpc = server.hpc();
      Path state = dir.resolve("state");
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, String.join("\n", "backend: slurm", "state_dir: " + state,
          "metrics_dir: " + dir.resolve("metrics"), "recipes_dir: " + dir.resolve("recipes"),
          "remote_dir: " + dir.resolve("remote"), "hpc:", "  hostname: " + hpc.hostname(), "  port: " + hpc.port(),
          "  username: " + hpc.username().orElseThrow(), "  key_filename: " + hpc.keyFilename().orElseThrow(),
          "  known_hosts: " + hpc.knownHosts(), ""));
      Holders.recordLaunch(config, Files.readAllBytes(config), hpc, state);
      List<String> status = List.of("--config", config.toString(), "--status", "--output", "json");
      DoorArgs.servable(status.toArray(String[]::new));
      Optional<StayingHolder> staying = HeadStart.begin(config, true, OptionalLong.empty(), true);
      if (staying.isEmpty()) {
        throw new IOException("the launch record did not begin a holder in this JVM");
      }
      PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
      Main.run(none, none, status.toArray(String[]::new));
      if (!staying.get().listening()) {
        throw new IOException("the holder in this JVM did not log in (see " + staying.get().log() + ")");
      }
      Path doors = Doors.dir(System.getenv(), System.getProperty("user.home"));
      PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
      if (DoorCall.run(Doors.door(doors, config), config, System.getenv("ORCHESTRATOR_HOME"), status, nowhere,
          nowhere) == DoorCall.NOT_RUN) {
        throw new IOException("no call went through the door of the holder in this JVM");
      }
      Holders.disconnect(state);
      // The folder is the run's own in the build; in a test it is the user's, and left as found.
      Files.deleteIfExists(Doors.door(doors, config));
      Files.deleteIfExists(LaunchRecord.file(doors, config));
      LoginRehearsal.login(hpc, dir);
    }
    LoginRehearsal.cliCall();
  }
}
