package io.github.hpcorchestrator.exporter;

import io.github.hpcorchestrator.InputException;

/**
 * Where an exporter's HTTP server listens: {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code :PORT}
 * (all interfaces). Port 0 picks a free port.
 */
public record ListenAddress(String host, int port) {

  /** All interfaces, IPv4. */
  public static final String ANY_HOST = "0.0.0.0";

  /**
   * Parses {@code text}.
   *
   * @throws InputException if it is not HOST:PORT with a port in 0-65535
   */
  public static ListenAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new InputException("--listen: expected HOST:PORT such as 0.0.0.0:9400, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    String portText = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new InputException("--listen: put an IPv6 address in brackets, e.g. [::1]:9400, got \"" + text + "\"");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new InputException("--listen: expected a port 0-65535 after ':', got \"" + text + "\"");
    }
    return new ListenAddress(host.isEmpty() ? ANY_HOST : host, port);
  }
}
