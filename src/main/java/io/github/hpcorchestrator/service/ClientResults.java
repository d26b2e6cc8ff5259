package io.github.hpcorchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.files.AtomicFiles;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A client's results on the user's machine: what its job wrote under {@code results/} (requests.jsonl,
 * summary.json, summary.csv, progress.json) copied over the one connection into {@code metrics/<client_id>/},
 * and its progress in words while it runs. A stopped or dead client keeps what it wrote up to then.
 */
public final class ClientResults {
  /** Files a client writes, smallest first so a cut-off copy still brings the summary. */
  static final List<String> FILES = List.of("progress.json", "summary.json", "summary.csv", "requests.jsonl");
  /** Largest file copied back; a bigger requests.jsonl stays on the cluster (named in the message). */
  static final long MAX_FILE_BYTES = 512L << 20;
  private static final long MAX_PROGRESS_BYTES = 64 << 10;
  /** Progress files asked for in one stat: bounds its command line. */
  static final int STAT_BATCH = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Shell shell;
  private final Path metricsDir;

  public ClientResults(Shell shell, Path metricsDir) {
    this.shell = shell;
    this.metricsDir = metricsDir;
  }

  /** The local folder of {@code clientId}'s results, {@code metrics/<client_id>/}. */
  public Path folder(String clientId) {
    return metricsDir.resolve(clientId);
  }

  /** Whether {@code clientId}'s summary is already here. */
  public boolean fetched(String clientId) {
    return Files.isRegularFile(folder(clientId).resolve("summary.json"));
  }

  /**
   * Copies what {@code client} wrote into its local folder (each file replaced whole); returns the files
   * that were too large to copy, by name.
   */
  public List<String> fetch(ServiceRecord client) {
    List<String> skipped = new ArrayList<>();
    for (String name : FILES) {
      String remote = client.serviceDir() + "/" + ClientJobs.RESULTS_DIR + "/" + name;
      long size = size(remote);
      if (size < 0) {
        continue; // not written (yet): a client that died early has no summary
      }
      if (size > MAX_FILE_BYTES) {
        skipped.add(name + " (" + (size >> 20) + " MiB, kept at " + remote + ")");
        continue;
      }
      byte[] content = shell.readFile(remote);
      try {
        Files.createDirectories(folder(client.serviceId()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      AtomicFiles.write(folder(client.serviceId()).resolve(name), content, 0644);
    }
    return skipped;
  }

  /** A running client's progress in words ("42/100 requests, 3.9/s, p50 TTFT 0.201 s, 0 errors"), if it wrote any. */
  public Optional<String> progress(ServiceRecord client) {
    return Optional.ofNullable(progress(List.of(client)).get(client.serviceId()));
  }

  /**
   * The progress in words of those of {@code jobs} that wrote one (clients), by service ID in their
   * order: one {@code stat} for all of them, since a service is not marked as a client in state.
   */
  public Map<String, String> progress(List<ServiceRecord> jobs) {
    Map<String, String> words = new LinkedHashMap<>();
    for (int from = 0; from < jobs.size(); from += STAT_BATCH) {
      List<ServiceRecord> batch = jobs.subList(from, Math.min(jobs.size(), from + STAT_BATCH));
      Map<String, Long> sizes = sizes(batch.stream().map(ClientResults::progressFile).toList());
      for (ServiceRecord job : batch) {
        long size = sizes.getOrDefault(progressFile(job), -1L);
        if (size > 0 && size <= MAX_PROGRESS_BYTES) {
          words(shell.readFile(progressFile(job))).ifPresent(w -> words.put(job.serviceId(), w));
        }
      }
    }
    return words;
  }

  private static String progressFile(ServiceRecord job) {
    return job.serviceDir() + "/" + ClientJobs.RESULTS_DIR + "/progress.json";
  }

  /** The sizes of those of {@code files} that exist on the shell's side, by name. */
  private Map<String, Long> sizes(List<String> files) {
    List<String> argv = new ArrayList<>(List.of("stat", "-c", "%s %n", "--"));
    argv.addAll(files);
    // Exit 1 when some file is missing: the others are listed all the same.
    CommandResult r = shell.run(argv, Shell.SHORT_TIMEOUT);
    Map<String, Long> sizes = new HashMap<>();
    for (String line : r.stdout().split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && files.contains(line.substring(space + 1))) {
        try {
          sizes.put(line.substring(space + 1), Long.parseLong(line.substring(0, space)));
        } catch (NumberFormatException e) {
          // Not a size: treated as no file.
        }
      }
    }
    return sizes;
  }

  /** progress.json ({state, planned, done, errors, current_rate, p50_ttft, started_at}) in words. */
  static Optional<String> words(byte[] progressJson) {
    JsonNode p;
    try {
      p = JSON.readTree(progressJson);
    } catch (IOException e) {
      return Optional.empty(); // caught mid-rewrite or cut: the next poll reads a whole one
    }
    if (p == null || !p.isObject()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    out.append(p.path("done").asLong()).append('/').append(p.path("planned").asLong()).append(" requests");
    out.append(String.format(Locale.ROOT, ", %.1f/s", p.path("current_rate").asDouble()));
    if (p.hasNonNull("p50_ttft")) {
      out.append(String.format(Locale.ROOT, ", p50 TTFT %.3f s", p.path("p50_ttft").asDouble()));
    }
    out.append(", ").append(p.path("errors").asLong()).append(" errors");
    String state = p.path("state").asText("");
    if (!state.isEmpty()) {
      out.append(" (").append(state.replaceAll("[^A-Za-z_ -]", "")).append(')');
    }
    return Optional.of(out.toString());
  }

  /** Size of a file on the shell's side, -1 when there is none. */
  private long size(String remote) {
    CommandResult r = shell.run(List.of("stat", "-c", "%s", "--", remote), Shell.SHORT_TIMEOUT);
    if (r.exitCode() != 0) {
      return -1;
    }
    try {
      return Long.parseLong(r.stdout().strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
