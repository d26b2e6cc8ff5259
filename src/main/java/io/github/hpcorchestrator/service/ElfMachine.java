package io.github.hpcorchestrator.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the ELF header of a local program to tell whether it runs on a Linux machine whose
 * {@code uname -m} is known, before it is uploaded there.
 */
public final class ElfMachine {
  private static final int HEADER_BYTES = 20;
  private static final int EI_CLASS = 4;
  private static final int EI_DATA = 5;
  private static final int E_MACHINE = 18;

  /** e_machine values by {@code uname -m}, with the word width (ELFCLASS) and byte order each one uses. */
  private record Arch(int machine, int elfClass, boolean little) {}

  private static final Map<String, Arch> BY_UNAME = Map.ofEntries(
      Map.entry("x86_64", new Arch(62, 2, true)),
      Map.entry("amd64", new Arch(62, 2, true)),
      Map.entry("aarch64", new Arch(183, 2, true)),
      Map.entry("arm64", new Arch(183, 2, true)),
      Map.entry("ppc64le", new Arch(21, 2, true)),
      Map.entry("ppc64", new Arch(21, 2, false)),
      Map.entry("s390x", new Arch(22, 2, false)),
      Map.entry("riscv64", new Arch(243, 2, true)),
      Map.entry("i686", new Arch(3, 1, true)),
      Map.entry("i386", new Arch(3, 1, true)),
      Map.entry("armv7l", new Arch(40, 1, true)));

  private static final Map<Integer, String> NAMES = Map.of(62, "x86-64", 183, "aarch64", 21, "ppc64",
      22, "s390x", 243, "riscv", 3, "i386", 40, "arm");

  private ElfMachine() {}

  /**
   * Why {@code file} cannot run on a machine whose {@code uname -m} printed {@code unameM}, or
   * empty when it is an ELF program for that machine.
   */
  public static Optional<String> mismatch(Path file, String unameM) {
    byte[] h = new byte[HEADER_BYTES];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(h, 0, HEADER_BYTES);
    } catch (IOException e) {
      return Optional.of("cannot read " + file + ": " + e.getMessage());
    }
    if (n < HEADER_BYTES || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
      return Optional.of(file + " is not a Linux (ELF) program");
    }
    boolean little = h[EI_DATA] == 1;
    int machine = little ? (h[E_MACHINE] & 0xff) | (h[E_MACHINE + 1] & 0xff) << 8
        : (h[E_MACHINE] & 0xff) << 8 | (h[E_MACHINE + 1] & 0xff);
    Arch wanted = BY_UNAME.get(unameM);
    if (wanted == null) {
      return Optional.of("the login node's architecture '" + unameM + "' is not one this tool knows (x86_64,"
          + " aarch64, ppc64le, s390x, riscv64, i686, armv7l)");
    }
    if (machine != wanted.machine() || h[EI_CLASS] != wanted.elfClass() || little != wanted.little()) {
      String found = NAMES.getOrDefault(machine, "machine " + machine) + (h[EI_CLASS] == 2 ? " 64-bit" : " 32-bit")
          + (little ? "" : " big-endian");
      return Optional.of(file + " is an ELF program for " + found + ", but the login node is " + unameM);
    }
    return Optional.empty();
  }

  /** The {@code uname -m} of this JVM's machine, from {@code os.arch} ("amd64" is "x86_64"). */
  public static String localUname() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64" -> "x86_64";
      case "x86" -> "i686";
      case "arm" -> "armv7l";
      default -> arch;
    };
  }

  /** Whether two {@code uname -m} answers name the same architecture. */
  public static boolean sameArch(String a, String b) {
    Arch x = BY_UNAME.get(a);
    return x != null && x.equals(BY_UNAME.get(b));
  }
}
