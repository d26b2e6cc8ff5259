package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A shell that records every argv and answers with canned results per command name. */
final class FakeShell implements Shell {
  final List<List<String>> calls = new ArrayList<>();
  final Map<String, byte[]> files = new HashMap<>();
  final Map<String, Function<List<String>, CommandResult>> answers = new HashMap<>();

  FakeShell answer(String command, int exit, String stdout, String stderr) {
    answers.put(command, argv -> new CommandResult(exit, stdout, stderr));
    return this;
  }

  long count(String command) {
    return calls.stream().filter(c -> c.get(0).equals(command)).count();
  }

  List<List<String>> calls(String command) {
    return calls.stream().filter(c -> c.get(0).equals(command)).toList();
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    calls.add(List.copyOf(argv));
    Function<List<String>, CommandResult> answer = answers.get(argv.get(0));
    return answer == null ? new CommandResult(0, "", "") : answer.apply(argv);
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) {
    files.put(path, content);
  }

  void file(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] readFile(String path) {
    return files.getOrDefault(path, new byte[0]);
  }

  @Override
  public InetSocketAddress reach(String host, int port) {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  @Override
  public Path home() {
    return Path.of("/home/alice");
  }

  @Override
  public void close() {}
}
