package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the programs local services run (prometheus, node exporter). When one is missing and this
 * process runs as root on a machine with apt, it installs Debian's package; otherwise it says
 * exactly what to install.
 */
public final class ToolLocator {
  /** A tool: the executable names to look for, and the Debian package that ships it. */
  private record Tool(List<String> executables, String debianPackage) {}

  private static final Map<String, Tool> TOOLS = Map.of(
      "prometheus", new Tool(List.of("prometheus"), "prometheus"),
      "promtool", new Tool(List.of("promtool"), "prometheus"),
      "node_exporter", new Tool(List.of("prometheus-node-exporter", "node_exporter"), "prometheus-node-exporter"));

  private final Shell shell;
  private final String path;
  private final boolean mayInstall;
  private final Consumer<String> progress;

  /**
   * @param shell runs apt-get
   * @param path the PATH to search
   * @param mayInstall whether a missing tool may be installed with apt-get (root only)
   * @param progress receives one line per step of an installation
   */
  public ToolLocator(Shell shell, String path, boolean mayInstall, Consumer<String> progress) {
    this.shell = shell;
    this.path = path;
    this.mayInstall = mayInstall;
    this.progress = progress;
  }

  /** Whether this process may install packages: root, with apt-get present. */
  public static boolean canInstall() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/apt-get"));
  }

  /** The absolute path of {@code tool}, installing it first if allowed. */
  public String locate(String tool) {
    Tool known = TOOLS.get(tool);
    List<String> names = known == null ? List.of(tool) : known.executables();
    Optional<Path> found = find(names);
    if (found.isPresent()) {
      return found.get().toString();
    }
    if (known == null) {
      throw new OperationFailedException(tool + " is not on PATH");
    }
    if (!mayInstall) {
      throw new OperationFailedException(tool + " is not installed: install Debian's package with"
          + " 'sudo apt-get install " + known.debianPackage() + "' or put " + names.get(0) + " on PATH");
    }
    install(known.debianPackage());
    return find(names).map(Path::toString).orElseThrow(() -> new OperationFailedException(
        "installed " + known.debianPackage() + " but found no " + String.join(" or ", names) + " on PATH"));
  }

  /** The absolute path of {@code tool} on this machine's PATH, without installing anything. */
  public Optional<Path> find(String tool) {
    return find(names(tool));
  }

  /** The executable names {@code tool} goes by, the usual one first. */
  static List<String> names(String tool) {
    Tool known = TOOLS.get(tool);
    return known == null ? List.of(tool) : known.executables();
  }

  /** The Debian package that ships {@code tool}, if it is one this class knows. */
  static Optional<String> debianPackage(String tool) {
    return Optional.ofNullable(TOOLS.get(tool)).map(Tool::debianPackage);
  }

  private Optional<Path> find(List<String> names) {
    for (String name : names) {
      for (String dir : path.split(":")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  private void install(String debianPackage) {
    progress.accept("installing Debian package " + debianPackage + " (apt-get install)...");
    List<String> install = List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
        "--no-install-recommends", debianPackage);
    CommandResult result = shell.run(install, Duration.ofMinutes(10));
    if (!result.ok()) {
      // A fresh machine may have no package lists yet.
      progress.accept("apt-get install failed; running apt-get update and trying again...");
      shell.run(List.of("apt-get", "update", "-q"), Duration.ofMinutes(10));
      result = shell.run(install, Duration.ofMinutes(10));
    }
    if (!result.ok()) {
      String[] lines = result.stderr().strip().split("\n");
      throw new OperationFailedException("apt-get install " + debianPackage + " failed: " + lines[lines.length - 1]);
    }
    progress.accept("installed " + debianPackage);
  }
}
