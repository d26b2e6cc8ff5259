package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes of this JVM, on this machine. */
public final class LocalShell implements Shell {
  private final Map<String, String> extraEnvironment;

  public LocalShell() {
    this(Map.of());
  }

  /** A shell whose commands see {@code extraEnvironment} on top of this process's environment. */
  public LocalShell(Map<String, String> extraEnvironment) {
    this.extraEnvironment = Map.copyOf(extraEnvironment);
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().putAll(extraEnvironment);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new OperationFailedException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new OperationFailedException(
            argv.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new CommandResult(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new OperationFailedException("interrupted while running " + argv.get(0), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) {
    AtomicFiles.write(Path.of(path), content, mode);
  }

  @Override
  public byte[] readFile(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InetSocketAddress reach(String host, int port) {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Always empty: this machine reaches what its commands reach. */
  @Override
  public Optional<SshTunnel> holdTunnel(String host, int port, int localPort) {
    return Optional.empty();
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public Path home() {
    return Path.of(System.getProperty("user.home"));
  }

  @Override
  public void close() {
    // Nothing is held open.
  }
}
