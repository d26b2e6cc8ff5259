package io.github.hpcorchestrator.exporter;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code GpuMain --listen HOST:PORT [--nvidia-smi PATH] [--timeout 5s] [--jvm-metrics]}: exports
 * the job's GPUs (see {@link GpuSelection}) from nvidia-smi, queried at every scrape.
 */
public final class GpuMain {

  static final String NVIDIA_SMI = "--nvidia-smi";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  static final String USAGE = """
      usage: java -cp hpc-orchestrator.jar io.github.hpcorchestrator.exporter.GpuMain \\
               --listen HOST:PORT [--nvidia-smi PATH] [--timeout 5s] [--jvm-metrics]
        --listen       where to serve /metrics, e.g. 0.0.0.0:9402 (port 0: any free port)
        --nvidia-smi   the nvidia-smi to run (default: nvidia-smi on PATH)
        --timeout      how long nvidia-smi may take (default 5s); slower is gpu_exporter_up 0
        --jvm-metrics  also export this process' JVM metrics
      Only the job's GPUs are exported: CUDA_VISIBLE_DEVICES, else SLURM_STEP_GPUS, else
      SLURM_JOB_GPUS; all GPUs when none is set.""";

  private GpuMain() {}

  public static void main(String[] args) {
    launcher(System.getenv()).main(args);
  }

  /** The launcher for a process whose environment is {@code environment}. */
  static ExporterLauncher launcher(Map<String, String> environment) {
    GpuSelection selection = GpuSelection.fromEnvironment(environment);
    return new ExporterLauncher(USAGE, Set.of(NVIDIA_SMI), Set.of(),
        options -> new GpuExporter(
            new NvidiaSmiCommand(options.value(NVIDIA_SMI).orElse("nvidia-smi"), options.timeout(DEFAULT_TIMEOUT)),
            selection));
  }
}
