package io.github.hpcorchestrator.transport;

import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * What a user is told when a login node's host key is unknown or changed: the key's type, its
 * SHA256 fingerprint (as {@code ssh-keygen -lf} prints it) and the known_hosts line to add.
 */
final class HostKeyMessages {
  private HostKeyMessages() {}

  /** The known_hosts host pattern OpenSSH uses: {@code host} on port 22, else {@code [host]:port}. */
  static String hostPattern(String host, int port) {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  /** The line that makes {@code key} known for {@code host:port}, e.g. {@code [h]:2222 ssh-ed25519 AAAA...}. */
  static String knownHostsLine(String host, int port, PublicKey key) {
    return hostPattern(host, port) + " " + PublicKeyEntry.toString(key);
  }

  /** {@code SHA256:...}, the fingerprint format of OpenSSH. */
  static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }

  /** The refusal of an unknown host key under {@code strict_host_key_checking: yes}. */
  static String unknownHost(String host, int port, PublicKey key, Path knownHosts) {
    return "the login node " + hostPattern(host, port) + " is not in " + knownHosts
        + "; it presents a " + KeyUtils.getKeyType(key) + " host key with fingerprint "
        + fingerprint(key) + ". If that is the fingerprint your cluster publishes, add this line to "
        + knownHosts + ":\n  " + knownHostsLine(host, port, key)
        + "\nor set hpc.strict_host_key_checking: accept-new to record it on the first connection.";
  }

  /** The refusal of a host key that differs from the one recorded in known_hosts. */
  static String changedHost(
      String host, int port, PublicKey expected, PublicKey actual, Path knownHosts) {
    return "the host key of the login node " + hostPattern(host, port) + " has CHANGED: "
        + knownHosts + " records " + KeyUtils.getKeyType(expected) + " " + fingerprint(expected)
        + ", the server now presents " + KeyUtils.getKeyType(actual) + " " + fingerprint(actual)
        + ". Someone may be intercepting the connection, or the login node was reinstalled; "
        + "check with the cluster's administrators before removing the old entry (ssh-keygen -R '"
        + hostPattern(host, port) + "' -f " + knownHosts + ").";
  }
}
