package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {

  @Test
  void plainWordsStayAsTheyAre() {
    assertThat(ShellQuoting.quote("prometheus")).isEqualTo("prometheus");
    assertThat(ShellQuoting.quote("/usr/bin/prometheus-node-exporter")).isEqualTo("/usr/bin/prometheus-node-exporter");
    assertThat(ShellQuoting.quote("--web.listen-address=127.0.0.1:9100")).isEqualTo("--web.listen-address=127.0.0.1:9100");
    assertThat(ShellQuoting.quote("a,b@c+d_e")).isEqualTo("a,b@c+d_e");
  }

  @Test
  void emptyStringIsAnEmptyWord() {
    assertThat(ShellQuoting.quote("")).isEqualTo("''");
  }

  @Test
  void specialCharactersAreSingleQuoted() {
    assertThat(ShellQuoting.quote("a b")).isEqualTo("'a b'");
    assertThat(ShellQuoting.quote("$(touch /tmp/x)")).isEqualTo("'$(touch /tmp/x)'");
    assertThat(ShellQuoting.quote("`id`")).isEqualTo("'`id`'");
    assertThat(ShellQuoting.quote("a;b")).isEqualTo("'a;b'");
    assertThat(ShellQuoting.quote("$HOME")).isEqualTo("'$HOME'");
    assertThat(ShellQuoting.quote("*")).isEqualTo("'*'");
    assertThat(ShellQuoting.quote("~")).isEqualTo("'~'");
    assertThat(ShellQuoting.quote("a\nb")).isEqualTo("'a\nb'");
    assertThat(ShellQuoting.quote("\"x\"")).isEqualTo("'\"x\"'");
    assertThat(ShellQuoting.quote("back\\slash")).isEqualTo("'back\\slash'");
  }

  @Test
  void singleQuotesAreClosedEscapedAndReopened() {
    assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\"'\"'s'");
    assertThat(ShellQuoting.quote("'")).isEqualTo("''\"'\"''");
  }

  @Test
  void nulCannotBeQuoted() {
    assertThatThrownBy(() -> ShellQuoting.quote("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a shell word cannot contain NUL");
  }

  @Test
  void joinQuotesEachWordAndSeparatesWithSpaces() {
    assertThat(ShellQuoting.join(List.of("bash", "-c", "echo hi; exit 3"))).isEqualTo("bash -c 'echo hi; exit 3'");
    assertThat(ShellQuoting.join(List.of("printf", "%s\\n", "", "it's"))).isEqualTo("printf '%s\\n' '' 'it'\"'\"'s'");
    assertThat(ShellQuoting.join(List.of())).isEmpty();
  }

  @Test
  void bashReadsQuotedWordsBackExactly() throws Exception {
    List<String> words = List.of("plain", "", "a b", "$(touch /nonexistent/x)", "it's", "a;b|c&d", "line1\nline2",
        "`id`", "\\", "'\"'", "*");
    Process p = new ProcessBuilder("bash", "-c", "for w in " + ShellQuoting.join(words)
        + "; do printf '%s\\0' \"$w\"; done").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(out.split("\0", -1)).containsExactly(
        "plain", "", "a b", "$(touch /nonexistent/x)", "it's", "a;b|c&d", "line1\nline2", "`id`", "\\", "'\"'", "*", "");
  }
}
