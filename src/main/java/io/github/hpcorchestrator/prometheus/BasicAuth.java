package io.github.hpcorchestrator.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP basic credentials for a Prometheus behind an authenticating proxy or with web.yml auth.
 * {@link #toString()} never shows the password, so the value is safe to log.
 */
public record BasicAuth(String username, String password) {

  /** The {@code Authorization} header value. */
  String headerValue() {
    String pair = username + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "BasicAuth[username=" + username + ", password=****]";
  }
}
