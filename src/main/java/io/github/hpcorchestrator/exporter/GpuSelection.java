package io.github.hpcorchestrator.exporter;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which GPUs belong to the job, from its environment. The first variable set wins:
 * {@code CUDA_VISIBLE_DEVICES} (indices or UUIDs, also UUID prefixes as CUDA accepts them),
 * {@code SLURM_STEP_GPUS}, {@code SLURM_JOB_GPUS} (indices, ranges like {@code 0-3} allowed).
 * None set: every GPU nvidia-smi lists. Set but empty, or {@code NoDevFiles}: none.
 *
 * <p>CUDA_VISIBLE_DEVICES comes first because it is what the service itself uses: under SLURM's
 * device cgroups nvidia-smi numbers the visible GPUs from 0, as CUDA_VISIBLE_DEVICES does, while
 * the SLURM_*_GPUS variables keep the node's numbering. Immutable.
 */
public final class GpuSelection {

  /** The variables read, in order of precedence. */
  public static final List<String> VARIABLES = List.of("CUDA_VISIBLE_DEVICES", "SLURM_STEP_GPUS", "SLURM_JOB_GPUS");

  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");

  private final Optional<String> variable;
  private final List<String> tokens;

  private GpuSelection(Optional<String> variable, List<String> tokens) {
    this.variable = variable;
    this.tokens = tokens;
  }

  /** Every GPU. */
  public static GpuSelection all() {
    return new GpuSelection(Optional.empty(), List.of());
  }

  /** The selection {@code environment} describes (see the class comment). */
  public static GpuSelection fromEnvironment(Map<String, String> environment) {
    for (String name : VARIABLES) {
      String value = environment.get(name);
      if (value != null) {
        List<String> tokens = value.isBlank() || value.strip().equals("NoDevFiles")
            ? List.of()
            : List.of(value.strip().split("\\s*,\\s*"));
        return new GpuSelection(Optional.of(name), tokens);
      }
    }
    return all();
  }

  /** Whether {@code gpu} belongs to the job. */
  public boolean selects(GpuReading gpu) {
    if (variable.isEmpty()) {
      return true;
    }
    for (String token : tokens) {
      if (matches(token, gpu)) {
        return true;
      }
    }
    return false;
  }

  /** The variable and value this selection came from, for messages: "all GPUs" if none. */
  @Override
  public String toString() {
    return variable.map(v -> v + "=" + String.join(",", tokens)).orElse("all GPUs");
  }

  private static boolean matches(String token, GpuReading gpu) {
    if (token.regionMatches(true, 0, "GPU-", 0, 4)) {
      return gpu.uuid().regionMatches(true, 0, token, 0, token.length());
    }
    Matcher range = RANGE.matcher(token);
    try {
      if (range.matches()) {
        return gpu.index() >= Integer.parseInt(range.group(1)) && gpu.index() <= Integer.parseInt(range.group(2));
      }
      return gpu.index() == Integer.parseInt(token);
    } catch (NumberFormatException e) {
      // MIG-... and anything else CUDA knows but nvidia-smi's GPU list does not: no match.
      return false;
    }
  }
}
