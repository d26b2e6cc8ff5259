package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.transport.ShellQuoting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the job script of a local job (local-job.sh) from its spec, folder and ports. */
final class LocalJobScript {

  private static final ScriptTemplate TEMPLATE = ScriptTemplate.load(LocalScheduler.class, "local-job.sh");

  private final Path servicesRoot;

  /** @param servicesRoot the folder of service folders; its parent is where relative image paths resolve */
  LocalJobScript(Path servicesRoot) {
    this.servicesRoot = servicesRoot;
  }

  /** The script of a job whose ports are not picked yet (dry run). */
  String render(JobSpec spec, Path dir, int port) {
    return render(spec, dir, port, spec.sidecars().stream().map(s -> s.needsPort() ? 0 : -1).toList());
  }

  /** @param sidecarPorts per sidecar: its port, 0 when it is not picked yet (dry run), -1 when it needs none */
  String render(JobSpec spec, Path dir, int port, List<Integer> sidecarPorts) {
    StringBuilder env = new StringBuilder();
    spec.environment().forEach((k, v) -> env.append("export ").append(k).append('=')
        .append(ShellQuoting.quote(substitute(v, dir, port))).append('\n'));
    if (spec.container().isPresent()) {
      env.append(ContainerCommand.localPreparation(spec, v -> substitute(v, dir, port)));
    }
    List<String> argv = spec.argv().stream().map(a -> substitute(a, dir, port)).toList();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("SERVICE_ID", spec.serviceId());
    values.put("SETUP", SetupBlock.render(spec.setup()));
    values.put("SERVICE_DIR", ShellQuoting.quote(dir.toString()));
    values.put("ENVIRONMENT", env.toString().stripTrailing());
    values.put("HOST", "localhost");
    // An empty port in the connection file: the service asked for none and is reached nowhere.
    values.put("PORT", port > 0 ? Integer.toString(port) : "''");
    values.put("REQUESTED_PORT", Integer.toString(Math.max(0, spec.requestedPort())));
    values.put("COMMAND", ShellQuoting.join(spec.container().isEmpty() ? argv : ContainerCommand.words(spec,
        ImagePath.resolve(spec.container().get(), servicesRoot.getParent().toString(), System.getProperty("user.home")),
        dir.toString(), argv, v -> substitute(v, dir, port))));
    StringBuilder sidecars = new StringBuilder();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < spec.sidecars().size(); i++) {
      Sidecar sidecar = spec.sidecars().get(i);
      int own = sidecarPorts.get(i);
      List<String> words = new ArrayList<>(List.of("env"));
      sidecar.environment().forEach((k, v) -> words.add(k + "=" + substitute(v, dir, port).replace(
          JobSpec.SIDECAR_PORT_TOKEN, Integer.toString(own))));
      sidecar.argv().forEach(a -> words.add(substitute(a, dir, port).replace(
          JobSpec.SIDECAR_PORT_TOKEN, Integer.toString(own))));
      sidecars.append("( exec ").append(ShellQuoting.join(words)).append(" ) >> ")
          .append(ShellQuoting.quote("sidecar-" + sidecar.name() + ".log")).append(" 2>&1 &\n")
          .append("sidecars+=($!)\n");
      if (own > 0) {
        lines.append("sidecar.").append(sidecar.name()).append(".port=").append(own).append('\n');
      }
    }
    values.put("SIDECARS", sidecars.toString().stripTrailing());
    values.put("SIDECAR_LINGER_S", Integer.toString(JobSpec.SIDECAR_LINGER_SECONDS));
    values.put("SIDECAR_LINES", ShellQuoting.quote(lines.toString()));
    return TEMPLATE.render(values);
  }

  /** The text with the job tokens (port, scratch, folder, listen address) replaced. */
  static String substitute(String text, Path dir, int port) {
    return text.replace(JobSpec.PORT_TOKEN, port > 0 ? Integer.toString(port) : "")
        .replace(JobSpec.SCRATCH_TOKEN, dir.resolve("data").toString())
        .replace(JobSpec.DIR_TOKEN, dir.toString())
        .replace(JobSpec.LISTEN_TOKEN, "127.0.0.1");
  }
}
