package io.github.hpcorchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into version.properties at build time ("development" if it is missing). */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"hpc-orchestrator " + version()};
  }

  /** The build's version, e.g. 0.1.0. */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        // Unfiltered (run from an IDE's own build), the placeholder is still there.
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // Falls through: a version line must never fail the call.
    }
    return "development";
  }
}
