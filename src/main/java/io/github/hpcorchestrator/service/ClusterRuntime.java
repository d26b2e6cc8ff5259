package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.ChunkedUpload;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What SLURM jobs run beyond bash: prometheus, node exporter and the sidecars' java. Each comes
 * from the config ({@code slurm.tools}), else from the login node's PATH after the setup lines,
 * else from this machine, uploaded once into {@code <remote dir>/runtime/} under a content-hash
 * name. Planning only names the files; {@link #prepare()} uploads what a job about to be
 * submitted needs, so a dry run changes nothing on the cluster.
 */
public final class ClusterRuntime {
  /** The lowest Java release the sidecars' classes run on. */
  static final int MIN_JAVA = 17;
  private static final String MARK = "hpco-runtime:";
  private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

  private final Shell shell;
  private final Supplier<String> remoteDir;
  private final Map<String, String> configured;
  private final List<String> setup;
  private final ToolLocator local;
  private final JlinkRuntime jlink;
  private final ChunkedUpload uploader;
  private final Consumer<String> progress;
  private final Map<Path, String> hashes = new HashMap<>();
  private final Map<String, Upload> pending = new LinkedHashMap<>();
  private LoginNode login;

  /** A file a planned job runs that the cluster may not have yet. */
  private record Upload(Path source, String sha256, String target, String label, boolean unpack) {}

  /** What the login node has, as a job would see it after the setup lines. */
  record LoginNode(String arch, Map<String, String> paths, Optional<String> javaVersion) {}

  /**
   * @param remoteDir the orchestrator's folder on the cluster, expanded; asked when a tool is first needed
   * @param configured tool name to the path jobs run it by (slurm.tools), used as written
   * @param setup the user's shell lines every job runs first (module load ...), run before looking
   * @param local finds this machine's copies of the tools
   * @param jlink makes a Java runtime when the cluster has none
   * @param progress told what is uploaded, with sizes and progress
   */
  public ClusterRuntime(Shell shell, Supplier<String> remoteDir, Map<String, String> configured, List<String> setup,
      ToolLocator local, JlinkRuntime jlink, Consumer<String> progress) {
    this.shell = shell;
    this.remoteDir = remoteDir;
    this.configured = Map.copyOf(configured);
    this.setup = List.copyOf(setup);
    this.local = local;
    this.jlink = jlink;
    this.uploader = new ChunkedUpload(shell, progress);
    this.progress = progress;
  }

  /**
   * The absolute path jobs run {@code tool} ("prometheus", "node_exporter") by.
   *
   * @throws OperationFailedException when neither the config, the cluster nor this machine has it,
   *     or this machine's copy is not a program for the login node's architecture
   */
  public synchronized String executable(String tool) {
    String given = configured.get(tool);
    if (given != null) {
      return given;
    }
    LoginNode node = login();
    for (String name : ToolLocator.names(tool)) {
      if (node.paths().containsKey(name)) {
        return node.paths().get(name);
      }
    }
    Path mine = local.find(tool).map(ClusterRuntime::real).orElseThrow(() -> new OperationFailedException(
        tool + " is not on the cluster's PATH (login node, after slurm.setup) nor on this machine's to upload:"
            + ToolLocator.debianPackage(tool).map(p -> " install it here (apt-get install " + p + "),").orElse("")
            + " load it in slurm.setup, or set slurm.tools." + tool + " to its path on the cluster"));
    ElfMachine.mismatch(mine, node.arch()).ifPresent(why -> {
      throw new OperationFailedException("cannot upload " + tool + " for the cluster: " + why
          + "; set slurm.tools." + tool + " to a " + node.arch() + " build on the cluster, or load one in slurm.setup");
    });
    String sha = hashes.computeIfAbsent(mine, ChunkedUpload::sha256);
    String target = runtimeDir() + "/" + tool + "-" + sha.substring(0, 16);
    pending.putIfAbsent(target, new Upload(mine, sha, target, tool, false));
    return target;
  }

  /**
   * The java jobs run sidecars with: configured, else a java {@value #MIN_JAVA}+ on the login
   * node's PATH, else a runtime made here with jlink and uploaded.
   *
   * @throws OperationFailedException when none of these can be had, saying what to install or set
   */
  public synchronized String java() {
    String given = configured.get("java");
    if (given != null) {
      return given;
    }
    LoginNode node = login();
    Optional<Integer> major = node.javaVersion().flatMap(ClusterRuntime::javaMajor);
    if (node.paths().containsKey("java") && major.filter(m -> m >= MIN_JAVA).isPresent()) {
      return node.paths().get("java");
    }
    String found = node.paths().containsKey("java")
        ? "the cluster's java (" + node.paths().get("java") + ") is " + node.javaVersion().orElse("of unknown version")
        : "the cluster has no java on its PATH (login node, after slurm.setup)";
    if (!JlinkRuntime.canTarget(node.arch())) {
      throw new OperationFailedException(found + ", and this machine (" + System.getProperty("os.name") + " "
          + ElfMachine.localUname() + ") cannot make one for the login node (Linux " + node.arch() + "): install"
          + " Java " + MIN_JAVA + "+ on the cluster, load it in slurm.setup (module load Java), or set slurm.tools.java");
    }
    Path archive = jlink.archive();
    String sha = hashes.computeIfAbsent(archive, ChunkedUpload::sha256);
    String dir = runtimeDir() + "/jre-" + sha.substring(0, 16);
    pending.putIfAbsent(dir, new Upload(archive, sha, dir, "Java runtime for the sidecars", true));
    return dir + "/bin/java";
  }

  private String runtimeDir() {
    return remoteDir.get() + "/runtime";
  }

  /** Uploads what the jobs planned so far run and the cluster does not have yet. */
  public synchronized void prepare() {
    if (pending.isEmpty()) {
      return;
    }
    CommandResult listing = shell.run(List.of("ls", "-1", "--", runtimeDir()), Shell.SHORT_TIMEOUT);
    Set<String> present = new LinkedHashSet<>(listing.ok() ? listing.stdout().lines().toList() : List.of());
    for (Upload u : new ArrayList<>(pending.values())) {
      if (!present.contains(u.target().substring(runtimeDir().length() + 1))) {
        if (u.unpack()) {
          uploadAndUnpack(u);
        } else {
          uploader.upload(u.source(), u.sha256(), u.target(), 0755, u.label());
        }
      }
      checkRuns(u);
      pending.remove(u.target());
    }
  }

  /**
   * Runs an uploaded program once on the login node: a build for another C library (this machine's
   * glibc is newer than many clusters') fails here in one line, not later in every job's sidecar.
   */
  private void checkRuns(Upload u) {
    String program = u.unpack() ? u.target() + "/bin/java" : u.target();
    CommandResult r = shell.run(List.of(program, u.unpack() ? "-version" : "--version"), Shell.SHORT_TIMEOUT);
    if (!r.ok()) {
      String why = (r.stdout() + "\n" + r.stderr()).strip().lines().reduce((a, b) -> b)
          .orElse("exit code " + r.exitCode());
      throw new OperationFailedException(u.label() + " uploaded to " + program + " does not run on the login node ("
          + why + "): " + (u.unpack() ? "install Java " + MIN_JAVA + "+ on the cluster, load it in slurm.setup"
              + " (module load Java), or set slurm.tools.java" : "load a build for the cluster in slurm.setup, or"
              + " set slurm.tools." + u.label() + " to one"));
    }
  }

  private void uploadAndUnpack(Upload u) {
    String archive = u.target() + ".tar.gz";
    uploader.upload(u.source(), u.sha256(), archive, 0600, u.label());
    CommandResult r = shell.run(unpackArgv(archive, u.target()), UNPACK_TIMEOUT);
    if (!r.ok()) {
      throw new OperationFailedException("cannot unpack " + archive + " on the cluster: "
          + r.stderr().strip().lines().reduce((a, b) -> b).orElse("exit code " + r.exitCode()));
    }
  }

  /**
   * Unpacks into a private folder and renames it onto {@code dir} ({@code mv -T}: never into an
   * existing one), so a job sees the whole runtime or none; a concurrent upload that won keeps its
   * copy. Safe to run twice.
   */
  static List<String> unpackArgv(String archive, String dir) {
    String script = "set -e; [ -x \"$2/bin/java\" ] && { rm -f -- \"$1\"; exit 0; }; tmp=$2.unpack.$$; "
        + "trap 'rm -rf -- \"$tmp\" \"$1\"' EXIT; mkdir -p -- \"$tmp\"; tar -xzf \"$1\" -C \"$tmp\"; "
        + "mv -T -- \"$tmp\" \"$2\" 2>/dev/null || [ -x \"$2/bin/java\" ]";
    return List.of("sh", "-c", script, "sh", archive, dir);
  }

  private LoginNode login() {
    if (login == null) {
      List<String> names = new ArrayList<>(List.of("java"));
      for (String tool : List.of("prometheus", "node_exporter")) {
        names.addAll(ToolLocator.names(tool));
      }
      CommandResult r = shell.run(probeArgv(setup, names), Shell.SHORT_TIMEOUT);
      login = parseProbe(r.stdout());
      if (login.arch().isEmpty()) {
        throw new OperationFailedException("cannot tell the login node's architecture (uname -m): "
            + (r.stderr().isBlank() ? "exit code " + r.exitCode() : r.stderr().strip().lines().reduce((a, b) -> b)
                .orElse("")));
      }
    }
    return login;
  }

  /**
   * One bash on the login node: {@code uname -m}, the setup lines (the user's own shell, as every
   * job runs them), then where each name is on PATH and the first line of {@code java -version}.
   */
  static List<String> probeArgv(List<String> setup, List<String> names) {
    // uname first: the setup lines may narrow PATH; after them only builtins run.
    StringBuilder script = new StringBuilder("echo \"" + MARK + "arch=$(uname -m)\"\n");
    // The setup lines run with no positional parameters, as in a job: `source .../activate` passes
    // "$@" on to conda activate. The names wait under a name no setup line is likely to use.
    script.append("hpc_orchestrator_names=(\"$@\"); set --\n");
    setup.forEach(line -> script.append(line).append('\n'));
    script.append("for t in \"${hpc_orchestrator_names[@]}\"; do p=$(command -v -- \"$t\" 2>/dev/null) && case $p in /*) echo \"")
        .append(MARK).append("path:$t=$p\";; esac; done\n")
        .append("if j=$(command -v java 2>/dev/null); then v=$(\"$j\" -version 2>&1); echo \"").append(MARK)
        .append("java=${v%%$'\\n'*}\"; fi\n");
    List<String> argv = new ArrayList<>(List.of("bash", "-c", script.toString(), "bash"));
    argv.addAll(names);
    return argv;
  }

  static LoginNode parseProbe(String stdout) {
    String arch = "";
    Map<String, String> paths = new LinkedHashMap<>();
    Optional<String> java = Optional.empty();
    for (String line : stdout.lines().toList()) {
      if (!line.startsWith(MARK)) {
        continue; // what the setup lines print
      }
      String fact = line.substring(MARK.length());
      if (fact.startsWith("arch=")) {
        arch = fact.substring("arch=".length()).strip();
      } else if (fact.startsWith("path:") && fact.indexOf('=') > 0) {
        paths.putIfAbsent(fact.substring("path:".length(), fact.indexOf('=')), fact.substring(fact.indexOf('=') + 1));
      } else if (fact.startsWith("java=")) {
        java = Optional.of(fact.substring("java=".length()).strip());
      }
    }
    return new LoginNode(arch, paths, java);
  }

  /** The major release in a {@code java -version} line: 8 for "1.8.0_351", 17 for "17.0.15". */
  static Optional<Integer> javaMajor(String versionLine) {
    Matcher m = JAVA_VERSION.matcher(versionLine);
    if (!m.find()) {
      return Optional.empty();
    }
    int first = Integer.parseInt(m.group(1));
    return Optional.of(first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first);
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      return p;
    }
  }
}
