package io.github.hpcorchestrator.connection;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The holder's side of a CLI call through a door: checks that the call means here what it means
 * to its caller (same config's state_dir, same working folder and ORCHESTRATOR_HOME, so relative
 * paths resolve alike), then runs the CLI in-process with its output streamed back; once a write to
 * a caller that closed its socket (Ctrl-C) fails, the run is interrupted. The socket is not read
 * meanwhile: its blocking streams share one lock, so a waiting read would stall every write.
 */
final class DoorOp {
  private final Optional<CliRunner> runner;
  private final Path stateDir;
  private final AtomicInteger served = new AtomicInteger();
  private final PrintStream log;

  /** Calls of the config files whose state_dir is {@code stateDir}, run by {@code runner}; its lines go to {@code log}. */
  DoorOp(Optional<CliRunner> runner, Path stateDir, PrintStream log) {
    this.runner = runner;
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.log = log;
  }

  /** Warms the CLI up in a daemon thread, while no call has come yet. */
  void warmUp() {
    runner.ifPresent(r -> {
      Thread t = new Thread(() -> {
        try {
          r.warmUp();
        } catch (RuntimeException e) {
          log.println("door: warm-up failed: " + e);
        }
      }, "door-warm-up");
      t.setDaemon(true);
      t.start();
    });
  }

  /** How many calls ran through a door (the holder log says it at the end). */
  int served() {
    return served.get();
  }

  void serve(DataInputStream in, DataOutputStream out) throws IOException {
    long began = System.nanoTime();
    Path config = Path.of(HolderProtocol.readText(in));
    String cwd = HolderProtocol.readText(in);
    boolean hasHome = in.readBoolean();
    String home = HolderProtocol.readText(in);
    List<String> argv = HolderProtocol.readArgv(in);
    String refusal = refusal(config, cwd, hasHome ? home : null);
    if (refusal != null) {
      out.writeByte(DoorProtocol.NOT_SERVED);
      HolderProtocol.writeText(out, refusal);
      return;
    }
    out.writeByte(DoorProtocol.ACCEPTED);
    out.flush();
    PrintWriter o = writer(out, DoorProtocol.OUT);
    PrintWriter e = writer(out, DoorProtocol.ERR);
    int code;
    try {
      code = runner.orElseThrow().run(o, e, argv.toArray(String[]::new));
    } catch (RuntimeException ex) {
      e.println("Error: " + ex);
      code = 1;
    }
    // Set by a write that failed: the caller went away (Ctrl-C, a kill); this pool thread goes on.
    boolean cancelled = Thread.interrupted();
    if (cancelled) {
      return;
    }
    o.flush();
    e.flush();
    served.incrementAndGet();
    log.println("door: ran " + argv + " (exit " + code + ", " + (System.nanoTime() - began) / 1_000_000
        + " ms in the holder)");
    synchronized (out) {
      out.writeByte(DoorProtocol.EXIT);
      out.writeInt(code);
    }
  }

  private String refusal(Path config, String cwd, String home) {
    if (runner.isEmpty()) {
      return "no CLI in this holder";
    }
    if (!cwd.equals(System.getProperty("user.dir")) || !Objects.equals(home, System.getenv("ORCHESTRATOR_HOME"))) {
      return "another working folder or ORCHESTRATOR_HOME than the holder's";
    }
    try {
      Optional<Path> held = runner.get().heldStateDir(config);
      if (held.isEmpty() || !held.get().toAbsolutePath().normalize().equals(stateDir)) {
        return "the config is not this holder's";
      }
    } catch (RuntimeException e) {
      return "the config does not load: " + e.getMessage();
    }
    return null;
  }

  /** A writer whose every flush sends one frame of {@code kind}; frames of both writers interleave whole. */
  private static PrintWriter writer(DataOutputStream out, int kind) {
    OutputStream frames = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
          throw new IOException("the caller went away");
        }
        try {
          synchronized (out) {
            out.writeByte(kind);
            out.writeInt(len);
            out.write(b, off, len);
            out.flush();
          }
        } catch (IOException e) {
          // PrintWriter swallows this: the interrupt is what ends the run's next wait.
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    };
    return new PrintWriter(new OutputStreamWriter(frames, StandardCharsets.UTF_8), true);
  }
}
