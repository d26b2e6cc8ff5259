package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What lets a call that finds no holder start one before it has parsed its config: the holder
 * arguments the same config file gave last time, kept in the private doors folder under the config's
 * name, and used only while the file holds the very same bytes and the call runs in the same working
 * and home folders (relative paths and {@code ~} in the config resolve against them). Uses java.base
 * and this package's records only, for the front-end.
 */
public final class LaunchRecord {
  private static final int MAGIC = 0x48504c31;
  /** Config files larger than this are not recorded (a config is a few hundred bytes). */
  static final int MAX_CONFIG_BYTES = 256 * 1024;
  private static final int MAX_ARGS = 32;

  private LaunchRecord() {}

  /** The record of the config file {@code absConfig} in the doors folder {@code doorsDir}. */
  public static Path file(Path doorsDir, Path absConfig) {
    return Doors.named(doorsDir, absConfig, ".launch");
  }

  /**
   * Records {@code holderArgs} ({@link HolderSpec#argv}) for {@code absConfig} as of its bytes
   * {@code config}, unless the same is recorded already; false when it cannot (no private doors
   * folder, too large a config, a write that failed).
   */
  static boolean write(Path doorsDir, Path absConfig, byte[] config, String cwd, String home, List<String> holderArgs) {
    if (config.length > MAX_CONFIG_BYTES || holderArgs.size() > MAX_ARGS) {
      return false;
    }
    if (read(doorsDir, absConfig, config, cwd, home).filter(holderArgs::equals).isPresent()) {
      return true;
    }
    if (!Doors.makePrivateDir(doorsDir)) {
      return false;
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeUTF(cwd);
      out.writeUTF(home);
      out.writeInt(config.length);
      out.write(config);
      out.writeInt(holderArgs.size());
      for (String a : holderArgs) {
        out.writeUTF(a);
      }
      out.flush();
      AtomicFiles.write(file(doorsDir, absConfig), bytes.toByteArray(), 0600);
      return true;
    } catch (IOException | OperationFailedException e) {
      return false; // only a head start lost: the call parses its config and starts its holder itself
    }
  }

  /**
   * The holder arguments recorded for {@code absConfig} if the file now holds exactly the recorded
   * bytes and {@code cwd} and {@code home} are the recorded ones; empty otherwise, or when the doors
   * folder is not private.
   */
  static Optional<List<String>> read(Path doorsDir, Path absConfig, String cwd, String home) {
    return configBytes(absConfig).flatMap(bytes -> read(doorsDir, absConfig, bytes, cwd, home));
  }

  /** The bytes of the config file {@code file}; empty when it cannot be read or is larger than a record keeps. */
  public static Optional<byte[]> configBytes(Path file) {
    try {
      return Files.size(file) <= MAX_CONFIG_BYTES ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<List<String>> read(Path doorsDir, Path absConfig, byte[] config, String cwd, String home) {
    if (!Doors.isPrivate(doorsDir)) {
      return Optional.empty();
    }
    Optional<Recorded> r = parse(file(doorsDir, absConfig));
    return r.filter(x -> x.cwd.equals(cwd) && x.home.equals(home) && Arrays.equals(x.config, config))
        .map(x -> x.holderArgs);
  }

  /**
   * Starts the holder recorded for {@code absConfig} unless a holder runs or starts for its folder
   * already, or the record does not hold for this call; whether it started one. Never fails: what
   * does not work here, the call's own start of its holder does (and reports).
   */
  public static boolean startIfRecorded(Path doorsDir, Path absConfig) {
    Optional<HolderSpec> spec = unheld(doorsDir, absConfig);
    if (spec.isEmpty()) {
      return false;
    }
    try {
      HolderLaunch.start(spec.get().folder(), spec.get().argv(), true);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The holder recorded for {@code absConfig} if the record holds for this call (same bytes, working
   * and home folders), its state_dir is there and no holder runs, listens or starts for its folder;
   * empty otherwise.
   */
  static Optional<HolderSpec> unheld(Path doorsDir, Path absConfig) {
    Optional<List<String>> args = read(doorsDir, absConfig, System.getProperty("user.dir"),
        System.getProperty("user.home"));
    if (args.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path stateDir = Path.of(args.get().get(0)).getParent();
      if (stateDir == null || !Files.isDirectory(stateDir)) {
        return Optional.empty();
      }
      HolderFolder folder = HolderFolder.in(stateDir);
      if (Files.exists(folder.socket()) || running(folder.process()) || running(folder.starting())) {
        return Optional.empty();
      }
      HolderSpec spec = HolderSpec.parse(args.get());
      // The paths compared, not the records: a record's first equals costs a cold call its
      // invokedynamic bootstrap (~10 ms).
      return spec.folder().dir().equals(folder.dir()) ? Optional.of(spec) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the record {@code record} names a holder folder whose state_dir is gone (pruned then). */
  static boolean stale(Path record) {
    return parse(record).map(r -> Path.of(r.holderArgs.get(0)).getParent())
        .map(stateDir -> !Files.isDirectory(stateDir)).orElse(false);
  }

  private static boolean running(Path processRecord) {
    return HolderProcess.read(processRecord).map(HolderProcess::isRunning).orElse(false);
  }

  private static Optional<Recorded> parse(Path record) {
    try {
      if (Files.size(record) > MAX_CONFIG_BYTES + 64 * 1024) {
        return Optional.empty();
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(record)));
      if (in.readInt() != MAGIC) {
        return Optional.empty();
      }
      String cwd = in.readUTF();
      String home = in.readUTF();
      int n = in.readInt();
      if (n < 0 || n > MAX_CONFIG_BYTES) {
        return Optional.empty();
      }
      byte[] config = in.readNBytes(n);
      int argc = in.readInt();
      if (config.length != n || argc < 1 || argc > MAX_ARGS) {
        return Optional.empty();
      }
      List<String> holderArgs = new ArrayList<>();
      for (int i = 0; i < argc; i++) {
        holderArgs.add(in.readUTF());
      }
      return Optional.of(new Recorded(cwd, home, config, List.copyOf(holderArgs)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // missing, garbled or cut short: as if none
    }
  }

  private record Recorded(String cwd, String home, byte[] config, List<String> holderArgs) {}
}
