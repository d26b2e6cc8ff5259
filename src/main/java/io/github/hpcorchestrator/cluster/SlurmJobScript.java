package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.transport.ShellQuoting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the batch script for one service from the template {@code slurm-job.sh}: {@code #SBATCH}
 * lines from the job's resources over the config defaults, then a body that picks the port on the
 * node, fills in the tokens and runs the command natively or in its container (see ContainerCommand).
 */
public final class SlurmJobScript {
  private static final ScriptTemplate TEMPLATE = ScriptTemplate.load(SlurmJobScript.class, "slurm-job.sh");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  /** How long the script waits for the service's port before it gives up publishing a connection. */
  static final int READY_TIMEOUT_S = 300;

  private final SlurmDefaults defaults;
  private final String remoteDir;
  private final String home;

  /**
   * @param defaults config defaults that the job's resources override
   * @param remoteDir the orchestrator's folder on the cluster, already expanded; relative image
   *     paths resolve against it, and images built from a docker source alone go to its images/
   * @param home home folder on the cluster, for image paths that start with "~" or "$HOME"
   */
  public SlurmJobScript(SlurmDefaults defaults, String remoteDir, String home) {
    this.defaults = defaults;
    this.remoteDir = remoteDir;
    this.home = home;
  }

  /** {@code path} with a leading "~" or "$HOME" replaced by {@code home}. */
  public static String expandHome(String path, String home) {
    for (String prefix : List.of("$HOME", "${HOME}", "~")) {
      if (path.equals(prefix)) {
        return home;
      }
      if (path.startsWith(prefix + "/")) {
        return home + path.substring(prefix.length());
      }
    }
    return path;
  }

  /** The script for {@code spec}, running in {@code serviceDir} on the cluster. */
  public String render(JobSpec spec, String serviceDir) {
    if (!JOB_NAME.matcher(spec.serviceId()).matches()) {
      throw new IllegalArgumentException("service ID not usable as a job name: " + spec.serviceId());
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("DIRECTIVES", directives(spec, serviceDir));
    values.put("SERVICE_ID", spec.serviceId());
    List<String> setup = new ArrayList<>(defaults.setup());
    setup.addAll(spec.setup());
    values.put("SETUP", SetupBlock.render(setup));
    values.put("SERVICE_DIR", ShellQuoting.quote(serviceDir));
    values.put("REQUESTED_PORT", Integer.toString(Math.max(0, spec.requestedPort())));
    values.put("ARGV", words(spec.argv()));
    for (String name : spec.environment().keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not an environment variable name: " + name);
      }
    }
    values.put("ENV_NAMES", words(List.copyOf(spec.environment().keySet())));
    values.put("ENV_VALUES", words(List.copyOf(spec.environment().values())));
    for (String file : spec.files().keySet()) {
      requireRelativeFile(file);
    }
    values.put("FILES", words(List.copyOf(spec.files().keySet())));
    values.put("COMMAND", spec.container().map(c -> ContainerCommand.bash(spec, image(c)))
        .orElse("# No container: the command runs natively on the node.\ncmd=(\"${argv[@]}\")"));
    values.put("READY_TIMEOUT_S", Integer.toString(READY_TIMEOUT_S));
    values.put("SIDECARS", sidecars(spec.sidecars()));
    values.put("SIDECAR_LINGER_S", Integer.toString(JobSpec.SIDECAR_LINGER_SECONDS));
    return TEMPLATE.render(values);
  }

  /** One block per sidecar: pick its port, fill in the tokens, start it, record its port. */
  private static String sidecars(List<Sidecar> sidecars) {
    StringBuilder out = new StringBuilder();
    for (Sidecar sidecar : sidecars) {
      for (String name : sidecar.environment().keySet()) {
        if (!ENV_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("not an environment variable name: " + name);
        }
      }
      List<String> words = new ArrayList<>(List.of("env"));
      sidecar.environment().forEach((k, v) -> words.add(k + "=" + v));
      words.addAll(sidecar.argv());
      out.append("# sidecar ").append(sidecar.name()).append('\n');
      out.append(sidecar.needsPort() ? "free_port 0; SIDECAR_PORT=$REPLY\n" : "SIDECAR_PORT=\n");
      out.append("sidecar=(").append(words(words)).append(")\n");
      out.append("for i in \"${!sidecar[@]}\"; do substitute \"${sidecar[$i]}\"; sidecar[$i]=$REPLY; done\n");
      out.append("( exec \"${sidecar[@]}\" ) >> ").append(ShellQuoting.quote("sidecar-" + sidecar.name() + ".log"))
          .append(" 2>&1 &\n");
      out.append("sidecars+=($!)\n");
      if (sidecar.needsPort()) {
        out.append("sidecar_lines+=\"sidecar.").append(sidecar.name()).append(".port=$SIDECAR_PORT\"$'\\n'\n");
      }
    }
    return out.toString().stripTrailing();
  }

  private String directives(JobSpec spec, String serviceDir) {
    ResourceSpec r = spec.resources();
    List<String> lines = new ArrayList<>();
    directive(lines, "job-name", Optional.of(spec.serviceId()));
    directive(lines, "output", Optional.of(serviceDir + "/slurm-%j.out"));
    directive(lines, "chdir", Optional.of(serviceDir));
    directive(lines, "mem", r.mem());
    directive(lines, "cpus-per-task", r.cpusPerTask().map(String::valueOf));
    directive(lines, "time", r.time().or(defaults::time));
    directive(lines, "partition", r.partition().or(defaults::partition));
    directive(lines, "qos", r.qos().or(defaults::qos));
    directive(lines, "account", r.account().or(defaults::account));
    directive(lines, "nodes", r.nodes().map(String::valueOf));
    directive(lines, "ntasks", r.ntasks().map(String::valueOf));
    directive(lines, "ntasks-per-node", r.ntasksPerNode().map(String::valueOf));
    directive(lines, "gres", r.gres());
    directive(lines, "gpus", r.gpus());
    directive(lines, "gpus-per-node", r.gpusPerNode());
    for (String extra : defaults.extraDirectives()) {
      String text = extra.strip();
      if (text.startsWith("#SBATCH")) {
        text = text.substring("#SBATCH".length()).strip();
      }
      requireOneLine(text, "extra directive");
      lines.add("#SBATCH " + text);
    }
    return String.join("\n", lines);
  }

  private static void directive(List<String> lines, String option, Optional<String> value) {
    value.ifPresent(v -> {
      requireOneLine(v, "--" + option);
      // sbatch splits #SBATCH lines at blanks unless the value is double-quoted.
      boolean blank = v.chars().anyMatch(Character::isWhitespace);
      if (blank && v.indexOf('"') >= 0) {
        throw new IllegalArgumentException("--" + option + " value has both blanks and quotes: " + v);
      }
      lines.add("#SBATCH --" + option + "=" + (blank ? "\"" + v + "\"" : v));
    });
  }

  private static void requireOneLine(String value, String what) {
    if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
      throw new IllegalArgumentException(what + " must be one line without control characters: "
          + value.replace("\n", "\\n").replace("\r", "\\r"));
    }
  }

  private static void requireRelativeFile(String name) {
    if (name.isEmpty() || name.startsWith("/") || List.of(name.split("/")).contains("..")
        || name.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("service file name must stay inside the service folder: " + name);
    }
  }

  private String image(ContainerSpec container) {
    return ImagePath.resolve(container, remoteDir, home);
  }

  /** Each value as one shell word (single-quoted unless plain), for a bash array. */
  private static String words(List<String> values) {
    return values.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }
}
