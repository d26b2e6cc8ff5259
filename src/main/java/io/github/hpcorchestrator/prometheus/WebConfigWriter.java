package io.github.hpcorchestrator.prometheus;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders Prometheus's {@code --web.config.file}: TLS with a certificate and key, and basic-auth
 * users with bcrypt hashes (never clear passwords).
 */
public final class WebConfigWriter {
  private final YAMLMapper yaml = new YAMLMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  /**
   * @param certFile PEM certificate path as Prometheus sees it
   * @param keyFile PEM private key path as Prometheus sees it
   * @param bcryptHashes user name to bcrypt hash
   */
  public String write(String certFile, String keyFile, Map<String, String> bcryptHashes) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode tls = root.putObject("tls_server_config");
    tls.put("cert_file", certFile);
    tls.put("key_file", keyFile);
    ObjectNode users = root.putObject("basic_auth_users");
    new TreeMap<>(bcryptHashes).forEach(users::put);
    try {
      return yaml.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
