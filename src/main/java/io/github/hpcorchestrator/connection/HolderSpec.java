package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.config.HpcConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a connection holder is: its folder, its idle time and the login node it logs in to; as
 * {@link #argv} writes it, it is a holder JVM's arguments and a {@link LaunchRecord}'s content.
 */
record HolderSpec(HolderFolder folder, Duration idle, HpcConfig hpc) {
  /** How many arguments {@link #argv} writes. */
  static final int ARGC = 8;

  /** The holder of {@code hpc} for the state_dir of {@code folder}, ending after {@code hpc.persist}. */
  static HolderSpec of(HolderFolder folder, HpcConfig hpc) {
    return new HolderSpec(folder, hpc.persist(), hpc);
  }

  /** FOLDER IDLE_SECONDS HOST PORT USER|- KEY|- KNOWN_HOSTS CHECKING. */
  List<String> argv() {
    return List.of(folder.dir().toString(), Long.toString(idle.toSeconds()), hpc.hostname(),
        Integer.toString(hpc.port()), hpc.username().orElse("-"),
        hpc.keyFilename().map(Path::toString).orElse("-"), hpc.knownHosts().toString(),
        hpc.hostKeyChecking().name());
  }

  /**
   * The spec {@link #argv} wrote as {@code args}.
   *
   * @throws IllegalArgumentException when they are not such arguments
   */
  static HolderSpec parse(List<String> args) {
    if (args.size() != ARGC) {
      throw new IllegalArgumentException("expected " + ARGC + " arguments, found " + args.size());
    }
    HpcConfig hpc = new HpcConfig(args.get(2), Integer.parseInt(args.get(3)),
        "-".equals(args.get(4)) ? Optional.empty() : Optional.of(args.get(4)),
        "-".equals(args.get(5)) ? Optional.empty() : Optional.of(Path.of(args.get(5))),
        Path.of(args.get(6)), HpcConfig.HostKeyChecking.valueOf(args.get(7)));
    return new HolderSpec(new HolderFolder(Path.of(args.get(0))), Duration.ofSeconds(Long.parseLong(args.get(1))), hpc);
  }
}
