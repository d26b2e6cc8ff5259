package io.github.hpcorchestrator.config;

import java.nio.file.Path;
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
 */
public record HpcConfig(
    String hostname,
    int port,
    Optional<String> username,
    Optional<Path> keyFilename,
    Path knownHosts,
    HostKeyChecking hostKeyChecking) {

  /** Host key policy; {@code YES} refuses unknown hosts, {@code ACCEPT_NEW} records them. */
  public enum HostKeyChecking {
    YES,
    ACCEPT_NEW,
    NO
  }
}
