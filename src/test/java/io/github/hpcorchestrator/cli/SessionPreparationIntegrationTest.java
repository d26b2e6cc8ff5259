package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session recipe whose later service cannot get its container image starts none of its
 * services: images are built (or found missing) for every service before the first one starts.
 * The Apptainer stand-in (testbed/apptainer-stand-in.sh, for argv and flow only: no Apptainer
 * package exists here) makes a runtime available through the recipe's setup line.
 */
@Tag("integration")
class SessionPreparationIntegrationTest {
  @TempDir Path dir;
  private LocalCli cli;

  @AfterEach
  void stopLeftovers() {
    if (cli != null) {
      cli.run("--stop-all-services");
    }
  }

  @Test
  void aMissingImageOfTheSecondServiceStartsNothing() throws IOException {
    cli = new LocalCli(dir);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(LocalCli.REPO.resolve("testbed/apptainer-stand-in.sh"), bin.resolve("apptainer"));
    Path image = dir.resolve("images").resolve("absent.sif");
    Path recipe = Files.writeString(dir.resolve("session.yaml"), String.join("\n",
        "services:",
        "  - name: node_exporter",
        "  - name: worker",
        "    command: sleep",
        "    args: [\"300\"]",
        "    setup:",
        "      - export PATH=" + bin + ":$PATH",
        "    container:",
        "      image_path: " + image,
        ""));

    CliResult start = cli.run("--recipe", recipe.toString());

    assertThat(start.code()).as(start.err()).isEqualTo(1);
    assertThat(start.err()).contains("container image " + image + " is missing");
    // Before images were prepared for the whole session, the node exporter was already running here.
    assertThat(start.out()).doesNotContain("Started");
    assertThat(cli.json("--status").path("services")).isEmpty();
  }
}
