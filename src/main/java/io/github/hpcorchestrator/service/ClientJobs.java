package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.client.ClientPlan;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.recipe.ClientSpec;
import io.github.hpcorchestrator.recipe.ClientTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a recipe's client into the job that runs it: the target resolved to the service's real host and
 * port (https, CA and basic-auth user where the service has credentials), the {@link ClientPlan} as
 * {@code client.json}, and {@code ClientMain} as the job's command. Stateless apart from its lookups.
 */
public final class ClientJobs {
  /** The client job's main class, run by the orchestrator's own Java where jobs run. */
  public static final String MAIN_CLASS = "io.github.hpcorchestrator.client.ClientMain";
  /** The plan's name in the client's job folder. */
  public static final String PLAN_FILE = "client.json";
  /** The folder, inside the client's job folder, where the client writes its results. */
  public static final String RESULTS_DIR = "results";
  static final String PASSWORD_FILE = "target.password";
  static final String CA_FILE = "target-ca.pem";

  private final Function<String, Optional<PrometheusCredentials>> credentials;

  /** @param credentials a service's credentials by service ID (empty: the service is plain HTTP, no auth) */
  public ClientJobs(Function<String, Optional<PrometheusCredentials>> credentials) {
    this.credentials = credentials;
  }

  /**
   * The job that runs {@code spec} as client {@code clientId}.
   *
   * @param sessionServices IDs of the session's services by recipe name, for {@code target: {service: NAME}}
   * @param promptsText the prompts file's content when the recipe names one
   * @throws InputException when the target is not running or has no port
   */
  public JobSpec plan(ClientSpec spec, String clientId, Map<String, String> sessionServices,
      Optional<String> promptsText, ClientContext context) {
    Resolved target = resolve(spec.target(), sessionServices, context);
    ClientPlan plan = new ClientPlan(clientId, target.target(), spec.workload(), spec.prompts(), spec.load(),
        spec.maxErrorRate());
    List<String> argv = new ArrayList<>(context.javaCommand(MAIN_CLASS));
    argv.addAll(List.of("--plan", PLAN_FILE, "--out", RESULTS_DIR));
    JobSpec job = new JobSpec(clientId, argv, Map.of(), 0, spec.resources(), Optional.empty(), Map.of())
        .withFile(PLAN_FILE, plan.toJson());
    for (Map.Entry<String, String> file : target.files().entrySet()) {
      job = job.withFile(file.getKey(), file.getValue());
    }
    if (promptsText.isPresent()) {
      job = job.withFile(ClientSpec.PROMPTS_FILE, promptsText.get());
    }
    return job;
  }

  /** A target as the plan names it, and the files (password, CA) it needs in the job's folder. */
  record Resolved(ClientPlan.Target target, Map<String, String> files) {}

  Resolved resolve(ClientTarget target, Map<String, String> sessionServices, ClientContext context) {
    if (target.url().isPresent()) {
      return new Resolved(new ClientPlan.Target(target.url().get(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty()), Map.of());
    }
    String typed = target.serviceId().orElseGet(() -> {
      String name = target.service().orElseThrow();
      String id = sessionServices.get(name);
      if (id == null) {
        throw new InputException("client target: service '" + name + "' was not started in this session");
      }
      return id;
    });
    DiscoveredService service = context.runningService(typed);
    if (service.port() <= 0) {
      throw new InputException("client target: service " + service.serviceId()
          + " has no port (its recipe lists no ports), so there is nothing to send load to");
    }
    Optional<PrometheusCredentials> auth = credentials.apply(service.serviceId());
    String host = service.host().contains(":") && !service.host().startsWith("[")
        ? "[" + service.host() + "]" : service.host();
    String url = (auth.isPresent() ? "https://" : "http://") + host + ":" + service.port();
    if (auth.isEmpty()) {
      return new Resolved(new ClientPlan.Target(url, Optional.of(service.serviceId()), Optional.empty(),
          Optional.empty(), Optional.empty()), Map.of());
    }
    return new Resolved(new ClientPlan.Target(url, Optional.of(service.serviceId()),
        Optional.of(auth.get().username()), Optional.of(PASSWORD_FILE), Optional.of(CA_FILE)),
        Map.of(PASSWORD_FILE, auth.get().password(), CA_FILE, auth.get().certPem()));
  }
}
