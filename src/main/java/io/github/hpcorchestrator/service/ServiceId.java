package io.github.hpcorchestrator.service;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Service IDs: {@code <name>_<8 hex>}, e.g. {@code prometheus_6355d49f}. */
public final class ServiceId {
  /** A full service ID. */
  public static final Pattern FULL = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,47}_[0-9a-f]{8}");
  /** The hex part alone, as users may type it. */
  public static final Pattern HEX = Pattern.compile("[0-9a-f]{8}");

  private final SecureRandom random;

  public ServiceId(SecureRandom random) {
    this.random = random;
  }

  /** A fresh ID for a service called {@code name}. */
  public String generate(String name) {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return name + "_" + HexFormat.of().formatHex(bytes);
  }

  /** The 8-hex suffix of a full ID. */
  public static String hexPart(String fullId) {
    return fullId.substring(fullId.length() - 8);
  }

  /** The name part of a full ID. */
  public static String namePart(String fullId) {
    return fullId.substring(0, fullId.length() - 9);
  }
}
