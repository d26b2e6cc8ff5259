package io.github.hpcorchestrator.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code setup:} in a recipe's service and in the config's {@code slurm:} section. */
class SetupLinesTest {
  @TempDir Path dir;

  @Test
  void recipeSetupKeepsEveryLineAsWrittenInOrder() throws IOException {
    Path file = Files.writeString(dir.resolve("r.yaml"), """
        service:
          name: web
          command: python3
          setup:
            - module load Python/3.11
            - source "$HOME/venv/bin/activate"   # a comment is YAML's, not the shell's
            - 'export A="$B"; echo $((1 + 2))'
        """);
    ServiceSpec spec = new RecipeLoader().load(file).services().get(0);
    assertThat(spec.setup()).containsExactly("module load Python/3.11", "source \"$HOME/venv/bin/activate\"",
        "export A=\"$B\"; echo $((1 + 2))");
  }

  @Test
  void noOrEmptySetupIsNoLines() throws IOException {
    Path none = Files.writeString(dir.resolve("a.yaml"), "service:\n  name: web\n  command: x\n");
    Path empty = Files.writeString(dir.resolve("b.yaml"), "service:\n  name: web\n  command: x\n  setup:\n");
    assertThat(new RecipeLoader().load(none).services().get(0).setup()).isEmpty();
    assertThat(new RecipeLoader().load(empty).services().get(0).setup()).isEmpty();
  }

  @Test
  void configSlurmSetupIsRead() throws IOException {
    Path file = Files.writeString(dir.resolve("config.yaml"), """
        backend: slurm
        slurm:
          setup: ["module load Apptainer", "export PATH=/opt/tools/bin:$PATH"]
        """);
    assertThat(new ConfigLoader(dir).load(file).slurm().setup())
        .isEqualTo(List.of("module load Apptainer", "export PATH=/opt/tools/bin:$PATH"));
  }
}
