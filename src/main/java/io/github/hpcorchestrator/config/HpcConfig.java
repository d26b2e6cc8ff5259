package io.github.hpcorchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach the cluster's login node over SSH.
 *
 * @param hostname host name or ~/.ssh/config alias
 * @param port SSH port, default 22
 * @param username remote user; empty means the local user or the ssh config's
 * @param keyFilename private key; empty means the usual ~/.ssh keys
 * @param knownHosts known_hosts file; default ~/.ssh/known_hosts
 * @param hostKeyChecking what to do with an unknown host key
 * @param persist how long a connection holder keeps the SSH login after its last use; zero: none
 */
public record HpcConfig(
    String hostname,
    int port,
    Optional<String> username,
    Optional<Path> keyFilename,
    Path knownHosts,
    HostKeyChecking hostKeyChecking,
    Duration persist) {

  /** How long a held connection lasts when hpc.persist is not given. */
  public static final Duration DEFAULT_PERSIST = Duration.ofMinutes(10);

  /** As the full constructor, with the default {@code persist}. */
  public HpcConfig(String hostname, int port, Optional<String> username, Optional<Path> keyFilename,
      Path knownHosts, HostKeyChecking hostKeyChecking) {
    this(hostname, port, username, keyFilename, knownHosts, hostKeyChecking, DEFAULT_PERSIST);
  }

  /** Host key policy; {@code YES} refuses unknown hosts, {@code ACCEPT_NEW} records them. */
  public enum HostKeyChecking {
    YES,
    ACCEPT_NEW,
    NO
  }
}
