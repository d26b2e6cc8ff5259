package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import java.util.ArrayList;
import java.util.List;

/**
 * The launch context of unit tests of kinds and planners: session_1 on the local backend, and only
 * what the test gave it (tools, a data folder, running services, a Java command); anything else
 * fails the test.
 */
final class FakeLaunchContext implements LaunchContext {
  private String toolFolder;
  private String dataDir;
  private List<DiscoveredService> running;
  private List<String> java;

  /** Tools are found in {@code folder}. */
  FakeLaunchContext tools(String folder) {
    this.toolFolder = folder;
    return this;
  }

  /** The orchestrator's data folder is {@code folder}. */
  FakeLaunchContext dataDir(String folder) {
    this.dataDir = folder;
    return this;
  }

  /** These services run, found by full ID or its end. */
  FakeLaunchContext running(DiscoveredService... services) {
    this.running = List.of(services);
    return this;
  }

  /** The Java command of sidecars and clients starts with {@code prefix}, then the main class. */
  FakeLaunchContext java(String... prefix) {
    this.java = List.of(prefix);
    return this;
  }

  @Override
  public String executable(String tool) {
    return given(toolFolder, "executable") + "/" + tool;
  }

  @Override
  public DiscoveredService runningService(String typedId) {
    return given(running, "runningService").stream().filter(s -> s.serviceId().endsWith(typedId)).findFirst()
        .orElseThrow(() -> new InputException("no running service " + typedId));
  }

  @Override
  public List<DiscoveredService> runningServices() {
    return given(running, "runningServices");
  }

  @Override
  public String sessionId() {
    return "session_1";
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public String schedulerRoot() {
    return "/nowhere";
  }

  @Override
  public String dataDir() {
    return given(dataDir, "dataDir");
  }

  @Override
  public PrometheusCredentials newCredentials() {
    throw new UnsupportedOperationException("this test's context draws no credentials");
  }

  @Override
  public List<String> javaCommand(String mainClass) {
    List<String> argv = new ArrayList<>(given(java, "javaCommand"));
    argv.add(mainClass);
    return argv;
  }

  private static <T> T given(T value, String what) {
    if (value == null) {
      throw new UnsupportedOperationException("this test's context was not given what " + what + " needs");
    }
    return value;
  }
}
