package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The orchestrator's own code as sidecars on the cluster run it: the jars that hold a few anchor
 * classes (the orchestrator and the libraries its sidecars use), uploaded once into
 * {@code <remote dir>/runtime/} under content-hash names, so every job of every version finds
 * exactly its own classes, run by the java {@link ClusterRuntime} provides. On the local backend
 * the running classpath and java are used as they are.
 */
public final class RuntimeBundle {
  private final Shell shell;
  private final Supplier<String> remoteDir;
  private final List<Class<?>> anchors;
  private final Optional<ClusterRuntime> cluster;
  private final Map<String, byte[]> unsent = new LinkedHashMap<>();
  private String classpath;

  /**
   * @param shell reaches the cluster; a local shell means "use this JVM's classpath"
   * @param remoteDir the orchestrator's folder on the cluster, already expanded; asked on first upload
   * @param anchors classes whose jars sidecars need
   * @param cluster the java (and programs) jobs run on the cluster; empty on the local backend
   */
  public RuntimeBundle(Shell shell, Supplier<String> remoteDir, List<Class<?>> anchors, Optional<ClusterRuntime> cluster) {
    this.shell = shell;
    this.remoteDir = remoteDir;
    this.anchors = List.copyOf(anchors);
    this.cluster = cluster;
  }

  private String runtimeDir() {
    return remoteDir.get() + "/runtime";
  }

  /** Uploads what the jobs planned so far need on the cluster and it lacks (nothing locally). */
  public synchronized void prepare() {
    cluster.ifPresent(ClusterRuntime::prepare);
    if (unsent.isEmpty()) {
      return;
    }
    CommandResult listing = shell.run(List.of("ls", "-1", "--", runtimeDir()), Shell.SHORT_TIMEOUT);
    Set<String> present = new LinkedHashSet<>(listing.ok() ? listing.stdout().lines().toList() : List.of());
    unsent.forEach((name, jar) -> {
      if (!present.contains(name)) {
        shell.writeFile(runtimeDir() + "/" + name, jar, 0644);
      }
    });
    unsent.clear();
  }

  /** The argv that starts {@code mainClass} with the orchestrator's classes on the job's side. */
  public List<String> javaCommand(String mainClass, boolean local) {
    if (local) {
      // Absolute entries: the sidecar starts in the service's folder, not in this process's.
      String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
          .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
          .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
      return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, mainClass);
    }
    String java = cluster.map(ClusterRuntime::java).orElse("java");
    return List.of(java, "-cp", uploadedClasspath(), mainClass);
  }

  private synchronized String uploadedClasspath() {
    if (classpath != null) {
      return classpath;
    }
    Set<Path> sources = new LinkedHashSet<>();
    for (Class<?> anchor : anchors) {
      try {
        sources.add(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | NullPointerException e) {
        throw new OperationFailedException("cannot locate the code of " + anchor.getName(), e);
      }
    }
    List<String> entries = new ArrayList<>();
    for (Path source : sources) {
      byte[] jar = Files.isDirectory(source) ? jarOf(source) : read(source);
      String name = sha256(jar).substring(0, 16) + ".jar";
      // Sent by prepare(), when a job is submitted: a dry run leaves the cluster as it was.
      unsent.put(name, jar);
      entries.add(runtimeDir() + "/" + name);
    }
    classpath = String.join(":", entries);
    return classpath;
  }

  /** A jar of a classes folder (tests and IDE runs have no jar), with fixed times so its hash is stable. */
  private static byte[] jarOf(Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        JarEntry entry = new JarEntry(dir.relativize(file).toString().replace('\\', '/'));
        entry.setTime(0);
        jar.putNextEntry(entry);
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot package " + dir + ": " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
