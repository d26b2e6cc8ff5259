import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Counts what the discovery loop asks of its shell. */
final class CountingShell implements Shell {
  private final Shell d;
  volatile int slurmCalls;
  volatile int commands;

  CountingShell(Shell d) {
    this.d = d;
  }

  private void count(List<String> argv) {
    commands++;
    if (List.of("squeue", "sacct", "sbatch", "scancel", "scontrol", "sinfo").contains(argv.get(0))) {
      slurmCalls++;
    }
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    count(argv);
    return d.run(argv, timeout);
  }

  @Override
  public CommandResult runOnce(List<String> argv, Duration timeout) {
    count(argv);
    return d.runOnce(argv, timeout);
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) {
    commands++;
    d.writeFile(path, content, mode);
  }

  @Override
  public byte[] readFile(String path) {
    commands++;
    return d.readFile(path);
  }

  @Override
  public InetSocketAddress reach(String host, int port) {
    return d.reach(host, port);
  }

  @Override
  public boolean isLocal() {
    return d.isLocal();
  }

  @Override
  public void close() {
    d.close();
  }

  @Override
  public Path home() {
    return d.home();
  }
}
