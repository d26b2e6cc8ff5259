package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.client.ClientPlan;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.recipe.ClientSpec;
import io.github.hpcorchestrator.recipe.ClientTarget;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A client's job: resolved target, client.json, prompts and credentials in its folder, ClientMain as command. */
class ClientJobsTest {
  private static final DiscoveredService SIM = new DiscoveredService("llm_simulator_0123abcd", "llm_simulator",
      "42", "node2", "node2", 18080, "session_1", Map.of(), 8000);
  private static final DiscoveredService PROM = new DiscoveredService("prometheus_89abcdef", "prometheus",
      "43", "node1", "node1", 9090, "session_1", Map.of(), 9090);
  private static final DiscoveredService NO_PORT = new DiscoveredService("batch_00000000", "batch",
      "44", "node1", "node1", 0, "session_1", Map.of(), 0);
  private static final PrometheusCredentials CREDS =
      new PrometheusCredentials("orchestrator", "s3cret", "self", "x", "-----CERT-----", "-----KEY-----");

  private final ClientJobs jobs = new ClientJobs(id -> id.equals(PROM.serviceId()) ? Optional.of(CREDS)
      : Optional.empty());

  private static ClientSpec client(ClientTarget target, Optional<String> promptsFile) {
    return new ClientSpec("chat", "", target,
        new ClientPlan.Workload("openai", Optional.empty(), "/v1/completions", Map.of(), Optional.empty(),
            Optional.of("sim"), Optional.of(64), Optional.empty(), 60),
        new ClientPlan.Prompts(promptsFile.isPresent() ? Optional.empty() : Optional.of(List.of("Hello")),
            promptsFile, Optional.empty()),
        Optional.empty(),
        new ClientPlan.Load(Optional.of(4), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(100),
            Optional.empty(), Optional.of(8), Optional.empty(), 0),
        0.01, ResourceSpec.none());
  }

  @Test
  void aSessionServiceResolvesToItsRealHostAndPort() throws IOException {
    ClientSpec spec = client(new ClientTarget(Optional.empty(), Optional.of("llm_simulator"), Optional.empty()),
        Optional.empty());
    JobSpec job = jobs.plan(spec, "chat_01234567", Map.of("llm_simulator", SIM.serviceId()), Optional.empty(),
        context());

    assertThat(job.serviceId()).isEqualTo("chat_01234567");
    assertThat(job.argv()).containsExactly("java", "-cp", "lib/*", ClientJobs.MAIN_CLASS, "--plan", "client.json",
        "--out", "results");
    assertThat(job.hasPort()).isFalse();
    ClientPlan plan = ClientPlan.fromJson(job.files().get(ClientJobs.PLAN_FILE));
    assertThat(plan.clientId()).isEqualTo("chat_01234567");
    assertThat(plan.target()).isEqualTo(new ClientPlan.Target("http://node2:18080", Optional.of(SIM.serviceId()),
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(plan.load()).isEqualTo(spec.load());
    assertThat(plan.maxErrorRate()).isEqualTo(0.01);
    assertThat(job.files()).containsOnlyKeys(ClientJobs.PLAN_FILE);
  }

  @Test
  void aServiceWithCredentialsGetsHttpsItsCaAndItsUser() throws IOException {
    ClientSpec spec = client(new ClientTarget(Optional.of("89abcdef"), Optional.empty(), Optional.empty()),
        Optional.of(ClientSpec.PROMPTS_FILE));
    JobSpec job = jobs.plan(spec, "chat_01234567", Map.of(), Optional.of("{\"prompt\": \"Hi\"}\n"), context());

    ClientPlan plan = ClientPlan.fromJson(job.files().get(ClientJobs.PLAN_FILE));
    assertThat(plan.target()).isEqualTo(new ClientPlan.Target("https://node1:9090", Optional.of(PROM.serviceId()),
        Optional.of("orchestrator"), Optional.of(ClientJobs.PASSWORD_FILE), Optional.of(ClientJobs.CA_FILE)));
    assertThat(job.files()).containsEntry(ClientJobs.PASSWORD_FILE, "s3cret")
        .containsEntry(ClientJobs.CA_FILE, "-----CERT-----")
        .containsEntry(ClientSpec.PROMPTS_FILE, "{\"prompt\": \"Hi\"}\n");
  }

  @Test
  void aUrlIsUsedAsWritten() {
    ClientPlan.Target target = jobs.resolve(new ClientTarget(Optional.empty(), Optional.empty(),
        Optional.of("http://10.0.0.5:11434")), Map.of(), context()).target();
    assertThat(target.url()).isEqualTo("http://10.0.0.5:11434");
    assertThat(target.serviceId()).isEmpty();
  }

  @Test
  void aTargetWithoutAPortOrNotStartedIsRefused() {
    assertThatThrownBy(() -> jobs.resolve(new ClientTarget(Optional.of(NO_PORT.serviceId()), Optional.empty(),
        Optional.empty()), Map.of(), context())).isInstanceOf(InputException.class)
        .hasMessage("client target: service batch_00000000 has no port (its recipe lists no ports),"
            + " so there is nothing to send load to");
    assertThatThrownBy(() -> jobs.resolve(new ClientTarget(Optional.empty(), Optional.of("web"), Optional.empty()),
        Map.of(), context())).isInstanceOf(InputException.class)
        .hasMessage("client target: service 'web' was not started in this session");
  }

  /** The running services above and a fixed Java command. */
  private static ClientContext context() {
    return new FakeLaunchContext().running(SIM, PROM, NO_PORT).java("java", "-cp", "lib/*");
  }
}
