package io.github.hpcorchestrator.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project classes each compiled class refers to, read from the constant pools of the class files
 * under a folder (every reference a class makes, imports or fully qualified names, is in its pool).
 */
final class ClassDependencies {
  private static final Pattern PROJECT_CLASS = Pattern.compile("io/github/hpcorchestrator/(?:[a-z0-9_]+/)*[A-Za-z0-9_$]+");

  private ClassDependencies() {}

  /** Per class (binary name with dots, nested classes folded into their top-level class), the project classes it uses. */
  static Map<String, Set<String>> of(Path classes) throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String self = topLevel(classes.relativize(file).toString().replace('\\', '/').replaceFirst("\\.class$", ""));
        Set<String> used = uses.computeIfAbsent(self, k -> new TreeSet<>());
        try (InputStream in = Files.newInputStream(file)) {
          for (String text : utf8Constants(new DataInputStream(in))) {
            Matcher m = PROJECT_CLASS.matcher(text);
            while (m.find()) {
              String other = topLevel(m.group());
              if (!other.equals(self)) {
                used.add(other);
              }
            }
          }
        }
      }
    }
    return uses;
  }

  private static String topLevel(String internalName) {
    int dollar = internalName.indexOf('$');
    return (dollar < 0 ? internalName : internalName.substring(0, dollar)).replace('/', '.');
  }

  /** The UTF-8 entries of a class file's constant pool (JVMS 4.4), where class names and descriptors are. */
  private static Set<String> utf8Constants(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    Set<String> texts = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> texts.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++; // A long or double takes two pool slots.
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return texts;
  }
}
