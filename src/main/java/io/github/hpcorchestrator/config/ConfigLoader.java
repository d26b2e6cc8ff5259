package io.github.hpcorchestrator.config;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.recipe.SetupLines;
import io.github.hpcorchestrator.recipe.SlurmFormats;
import io.github.hpcorchestrator.recipe.YamlDocument;
import io.github.hpcorchestrator.recipe.YamlMapping;
import io.github.hpcorchestrator.recipe.YamlValue;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads config.yaml strictly (unknown keys and bad values fail with file, line and key path).
 * An empty file gives {@link OrchestratorConfig#defaults()} with the file as source. Relative
 * directories stay relative to the current directory, not to the config file.
 */
public final class ConfigLoader {
  // ssh takes a leading '-' as an option, so host and user names must not start with one.
  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
  private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([KkMmGg](?:i?[Bb])?|[Bb])?");
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");

  private final Path home;

  /** Expands {@code ~} and {@code $HOME} to the {@code user.home} system property. */
  public ConfigLoader() {
    this(Path.of(System.getProperty("user.home")));
  }

  /** Expands {@code ~} and {@code $HOME} to {@code home} (tests). */
  public ConfigLoader(Path home) {
    this.home = home;
  }

  /**
   * Loads and validates one config file.
   *
   * @param file used as given in messages
   * @throws InputException for a missing, unreadable or invalid file
   */
  public OrchestratorConfig load(Path file) {
    OrchestratorConfig defaults = OrchestratorConfig.defaults();
    Optional<YamlValue> root = YamlDocument.read(file);
    if (root.isEmpty()) {
      return new OrchestratorConfig(Optional.of(file), defaults.backend(), home.resolve(".orchestrator"),
          defaults.recipesDir(), defaults.metricsDir(), Optional.empty(), defaults.slurm(),
          defaults.remoteDir(), defaults.limits());
    }
    if (!root.get().isMapping()) {
      throw root.get().error("expected a mapping at the top level, found " + root.get().kind());
    }
    YamlMapping map = root.get().asMapping();
    OrchestratorConfig.Backend backend = map.get("backend")
        .map(v -> OrchestratorConfig.Backend.valueOf(v.asChoice(List.of("local", "slurm"))
            .toUpperCase(Locale.ROOT)))
        .orElse(defaults.backend());
    Path stateDir = map.get("state_dir").map(this::path).orElse(home.resolve(".orchestrator"));
    Path recipesDir = map.get("recipes_dir").map(this::path).orElse(defaults.recipesDir());
    Path metricsDir = map.get("metrics_dir").map(this::path).orElse(defaults.metricsDir());
    // Kept as written: "$HOME" and "~" mean the home directory on the cluster, not here.
    String remoteDir = map.get("remote_dir").map(ConfigLoader::nonEmptyLine)
        .orElse(defaults.remoteDir());
    Optional<HpcConfig> hpc = map.get("hpc").map(this::hpc);
    SlurmDefaults slurm = map.get("slurm").map(ConfigLoader::slurm).orElse(defaults.slurm());
    Limits limits = map.get("limits").map(ConfigLoader::limits).orElse(defaults.limits());
    map.rejectUnknownKeys();
    return new OrchestratorConfig(Optional.of(file), backend, stateDir, recipesDir, metricsDir, hpc,
        slurm, remoteDir, limits);
  }

  private HpcConfig hpc(YamlValue value) {
    YamlMapping map = value.asMapping();
    String hostname = map.require("hostname").asMatching(HOSTNAME,
        "a host name or ~/.ssh/config alias (letters, digits, '.', '_', ':', '-')");
    int port = map.get("port").map(YamlValue::asPort).orElse(22);
    Optional<String> username = map.get("username")
        .map(v -> v.asMatching(USERNAME, "a user name (letters, digits, '_', '.', '-')"));
    Optional<Path> keyFilename = map.get("key_filename").map(this::path);
    Path knownHosts = map.get("known_hosts").map(this::path)
        .orElse(home.resolve(".ssh").resolve("known_hosts"));
    HpcConfig.HostKeyChecking checking = map.get("strict_host_key_checking")
        .map(ConfigLoader::hostKeyChecking).orElse(HpcConfig.HostKeyChecking.YES);
    // "0" turns the held connection off; asDuration refuses zero, so it is taken apart first.
    java.time.Duration persist = map.get("persist")
        .map(v -> v.isScalar() && "0".equals(v.asString().trim()) ? java.time.Duration.ZERO : v.asDuration())
        .orElse(HpcConfig.DEFAULT_PERSIST);
    map.rejectUnknownKeys();
    return new HpcConfig(hostname, port, username, keyFilename, knownHosts, checking, persist);
  }

  private static HpcConfig.HostKeyChecking hostKeyChecking(YamlValue value) {
    // Unquoted yes/no are YAML booleans, so true/false are taken as the same words.
    if (value.isScalar() && List.of("true", "false").contains(value.asString())) {
      return value.asString().equals("true") ? HpcConfig.HostKeyChecking.YES : HpcConfig.HostKeyChecking.NO;
    }
    return switch (value.asChoice(List.of("yes", "accept-new", "no"))) {
      case "yes" -> HpcConfig.HostKeyChecking.YES;
      case "no" -> HpcConfig.HostKeyChecking.NO;
      default -> HpcConfig.HostKeyChecking.ACCEPT_NEW;
    };
  }

  private static SlurmDefaults slurm(YamlValue value) {
    YamlMapping map = value.asMapping();
    Optional<String> account = map.get("account").map(SlurmFormats::name);
    Optional<String> partition = map.get("partition").map(SlurmFormats::name);
    Optional<String> qos = map.get("qos").map(SlurmFormats::name);
    Optional<String> time = map.get("time").map(SlurmFormats::time);
    List<String> directives = new ArrayList<>();
    for (YamlValue item : map.get("extra_directives").map(YamlValue::asList).orElse(List.of())) {
      String directive = item.asLine();
      // The record holds directives without the prefix; a written prefix would be doubled.
      if (directive.strip().startsWith("#SBATCH")) {
        throw item.error("write the directive without '#SBATCH', e.g. --constraint=gpu");
      }
      directives.add(directive);
    }
    List<String> setup = map.get("setup").map(SetupLines::of).orElse(List.of());
    Map<String, String> tools = map.get("tools").map(ConfigLoader::tools).orElse(Map.of());
    map.rejectUnknownKeys();
    return new SlurmDefaults(account, partition, qos, time, directives, setup, tools);
  }

  /** {@code slurm.tools}: absolute paths on the cluster, run as argv (never through a shell). */
  private static Map<String, String> tools(YamlValue value) {
    YamlMapping map = value.asMapping();
    Map<String, String> tools = new LinkedHashMap<>();
    for (String tool : SlurmDefaults.TOOL_NAMES) {
      map.get(tool).ifPresent(v -> {
        String path = v.asLine();
        if (!path.startsWith("/")) {
          throw v.error("expected an absolute path on the cluster, e.g. /opt/" + tool + "/bin/" + tool
              + ", found " + YamlValue.quote(path));
        }
        tools.put(tool, path);
      });
    }
    map.rejectUnknownKeys();
    return tools;
  }

  private static Limits limits(YamlValue value) {
    YamlMapping map = value.asMapping();
    Limits defaults = Limits.defaults();
    long maxAnswer = map.get("max_answer_bytes").map(ConfigLoader::bytes).orElse(defaults.maxAnswerBytes());
    java.time.Duration request = map.get("request_timeout").map(YamlValue::asDuration)
        .orElse(defaults.requestTimeout());
    java.time.Duration status = map.get("status_timeout").map(YamlValue::asDuration)
        .orElse(defaults.statusTimeout());
    map.rejectUnknownKeys();
    return new Limits(maxAnswer, request, status);
  }

  /** A size: a whole number of bytes, or one with a unit (KiB, MiB, GiB; KB, MB, GB are the same). */
  private static long bytes(YamlValue value) {
    String what = "a size like 64MiB, 512KiB or a number of bytes, " + Limits.MIN_ANSWER_BYTES + " bytes to 4GiB";
    if (!value.isScalar()) {
      throw value.expected(what);
    }
    java.util.regex.Matcher m = SIZE.matcher(value.asString().trim());
    if (!m.matches() || m.group(1).length() > 12) {
      throw value.expected(what);
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    long scale = switch (unit) {
      case "k", "kb", "kib" -> 1024L;
      case "m", "mb", "mib" -> 1024L * 1024;
      case "g", "gb", "gib" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    if (amount > Limits.MAX_ANSWER_BYTES / scale || amount * scale < Limits.MIN_ANSWER_BYTES
        || amount * scale > Limits.MAX_ANSWER_BYTES) {
      throw value.expected(what);
    }
    return amount * scale;
  }

  /** A local path; a leading {@code ~} or {@code $HOME} means this user's home directory. */
  private Path path(YamlValue value) {
    String text = nonEmptyLine(value);
    try {
      if (text.equals("~") || text.equals("$HOME") || text.equals("${HOME}")) {
        return home;
      }
      for (String prefix : List.of("~/", "$HOME/", "${HOME}/")) {
        if (text.startsWith(prefix)) {
          return home.resolve(text.substring(prefix.length()));
        }
      }
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw value.error("invalid path " + YamlValue.quote(text));
    }
  }

  private static String nonEmptyLine(YamlValue value) {
    String text = value.asLine();
    if (text.isBlank()) {
      throw value.error("must not be empty");
    }
    return text;
  }
}
