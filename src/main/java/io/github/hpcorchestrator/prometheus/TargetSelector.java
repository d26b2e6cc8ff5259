package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * Which services one scrape job follows, as written into a monitor's discovery spec.
 *
 * @param jobName the Prometheus job
 * @param serviceId one service by full ID
 * @param service every service of this recipe name
 * @param session every service of the monitor's session
 * @param port port to scrape; null means each service's own port
 * @param sidecar scrape this sidecar's port instead of the service's (e.g. "probe"); null for the service
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetSelector(
    @JsonProperty("job_name") String jobName,
    @JsonProperty("service_id") String serviceId,
    @JsonProperty("service") String service,
    @JsonProperty("session") boolean session,
    @JsonProperty("port") Integer port,
    @JsonProperty("sidecar") String sidecar) {

  /** Whether {@code s} is one of the services this selector follows, for a monitor in {@code monitorSession}. */
  public boolean matches(DiscoveredService s, String monitorSession, String monitorId) {
    if (s.serviceId().equals(monitorId)) {
      return false;
    }
    if (serviceId != null) {
      return s.serviceId().equals(serviceId);
    }
    if (service != null) {
      return s.name().equals(service);
    }
    return session && !monitorSession.isEmpty() && s.sessionId().equals(monitorSession);
  }

  /** The port to scrape on {@code s}, if it has one for this selector. */
  public Optional<Integer> portOf(DiscoveredService s) {
    if (sidecar != null) {
      return Optional.ofNullable(s.sidecarPorts().get(sidecar));
    }
    // A target's port names the service's port as its recipe asked for it; where that was taken
    // and the service got another one, follow it.
    int chosen = port == null || port == s.requestedPort() ? s.port() : port;
    return Optional.of(chosen).filter(p -> p > 0);
  }
}
