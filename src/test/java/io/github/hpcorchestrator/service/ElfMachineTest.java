package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfMachineTest {
  @TempDir Path dir;

  /** The first 20 bytes of an ELF header: class, byte order and e_machine are what is read. */
  private Path elf(int elfClass, boolean little, int machine) throws IOException {
    byte[] h = new byte[64];
    h[0] = 0x7f;
    h[1] = 'E';
    h[2] = 'L';
    h[3] = 'F';
    h[4] = (byte) elfClass;
    h[5] = (byte) (little ? 1 : 2);
    h[18] = (byte) (little ? machine & 0xff : machine >> 8);
    h[19] = (byte) (little ? machine >> 8 : machine & 0xff);
    return Files.write(dir.resolve("prog-" + elfClass + little + machine), h);
  }

  @Test
  void aProgramForTheLoginNodesArchitecturePasses() throws IOException {
    assertThat(ElfMachine.mismatch(elf(2, true, 62), "x86_64")).isEmpty();
    assertThat(ElfMachine.mismatch(elf(2, true, 183), "aarch64")).isEmpty();
    assertThat(ElfMachine.mismatch(elf(2, false, 22), "s390x")).isEmpty();
  }

  @Test
  void anotherArchitectureIsRefusedByName() throws IOException {
    assertThat(ElfMachine.mismatch(elf(2, true, 183), "x86_64")).get().asString()
        .endsWith("is an ELF program for aarch64 64-bit, but the login node is x86_64");
    assertThat(ElfMachine.mismatch(elf(1, true, 3), "x86_64")).get().asString()
        .contains("i386 32-bit");
    assertThat(ElfMachine.mismatch(elf(2, true, 21), "ppc64")).get().asString().contains("ppc64 64-bit, but");
  }

  @Test
  void aScriptOrAMachOFileIsNotAnElfProgram() throws IOException {
    Path script = Files.writeString(dir.resolve("prometheus"), "#!/bin/sh\nexec /opt/p \"$@\"\n");
    assertThat(ElfMachine.mismatch(script, "x86_64")).get().asString().endsWith("is not a Linux (ELF) program");
    Path macho = Files.write(dir.resolve("macho"), new byte[] {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe});
    assertThat(ElfMachine.mismatch(macho, "x86_64")).get().asString().endsWith("is not a Linux (ELF) program");
  }

  @Test
  void anUnknownLoginArchitectureIsSaid() throws IOException {
    assertThat(ElfMachine.mismatch(elf(2, true, 62), "sparc64")).get().asString()
        .contains("architecture 'sparc64' is not one this tool knows");
  }

  @Test
  void thisJvmsOwnBinaryMatchesThisMachine() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (System.getProperty("os.name").equals("Linux")) {
      assertThat(ElfMachine.mismatch(java, ElfMachine.localUname())).isEmpty();
    }
    assertThat(ElfMachine.sameArch("amd64", "x86_64")).isTrue();
    assertThat(ElfMachine.sameArch("aarch64", "x86_64")).isFalse();
  }
}
