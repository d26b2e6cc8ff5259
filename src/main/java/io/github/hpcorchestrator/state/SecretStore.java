package io.github.hpcorchestrator.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Monitors' credentials in the user's state folder: one 0600 file per monitor in a 0700 folder,
 * the only place their clear passwords are kept.
 */
public final class SecretStore {
  private final Path dir;
  private final ObjectMapper json = new ObjectMapper();

  public SecretStore(Path stateDir) {
    this.dir = stateDir.resolve("secrets");
  }

  /** Keeps the credentials of {@code serviceId}. */
  public void put(String serviceId, PrometheusCredentials credentials) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, AtomicFiles.permissions(0700));
      AtomicFiles.write(file(serviceId), json.writeValueAsBytes(credentials), 0600);
    } catch (IOException e) {
      throw new OperationFailedException("cannot keep the credentials of " + serviceId + ": " + e.getMessage(), e);
    }
  }

  /** The credentials of {@code serviceId}, if this machine has them. */
  public Optional<PrometheusCredentials> get(String serviceId) {
    Path file = file(serviceId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), PrometheusCredentials.class));
    } catch (IOException e) {
      throw new OperationFailedException("cannot read the credentials of " + serviceId + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the credentials of {@code serviceId}; returns the bytes freed (0 if there were none). */
  public long remove(String serviceId) {
    Path file = file(serviceId);
    try {
      long size = Files.exists(file) ? Files.size(file) : 0;
      return Files.deleteIfExists(file) ? size : 0;
    } catch (IOException e) {
      throw new OperationFailedException("cannot delete the credentials of " + serviceId + ": " + e.getMessage(), e);
    }
  }

  private Path file(String serviceId) {
    if (!serviceId.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("not a service ID: " + serviceId);
    }
    return dir.resolve(serviceId + ".json");
  }
}
