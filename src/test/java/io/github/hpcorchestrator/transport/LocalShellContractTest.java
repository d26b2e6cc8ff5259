package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.testbed.TempFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link Shell} contract for {@link LocalShell}: child processes of this JVM. */
class LocalShellContractTest extends ShellContract {
  private static Path scratch;
  private static LocalShell shell;

  @BeforeAll
  static void up() throws IOException {
    scratch = Files.createTempDirectory("localshell-contract");
    shell = new LocalShell();
  }

  @AfterAll
  static void down() {
    shell.close();
    TempFolder.deleteQuietly(scratch);
  }

  @Override
  protected Shell shell() {
    return shell;
  }

  @Override
  protected Path scratch() {
    return scratch;
  }
}
