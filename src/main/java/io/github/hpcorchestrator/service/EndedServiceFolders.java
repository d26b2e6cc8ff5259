package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.state.SecretStore;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * Removes the folders that ended services left where their jobs ran ({@code <remote_dir>/services/}
 * on SLURM, the state folder's {@code services/} locally). A folder is removed only when it is
 * provably ours and over: its record is final, on this backend, with a well-formed ID, its folder
 * is exactly where this scheduler puts that ID, and the scheduler runs no job of that ID now.
 */
final class EndedServiceFolders {
  /** Folders per du or rm call, so one argv stays far below the system's limit. */
  private static final int BATCH = 100;

  private final Scheduler scheduler;
  private final Shell shell;

  /** @param shell runs du and rm on the side where the jobs ran */
  EndedServiceFolders(Scheduler scheduler, Shell shell) {
    this.scheduler = scheduler;
    this.shell = shell;
  }

  /**
   * Removes the folders (where they are ours) and the secrets of the {@code ended} services, then
   * forgets every ended service through {@code forget}.
   */
  ClearedState clear(List<ServiceRecord> ended, SecretStore secrets, IntSupplier forget) {
    Map<String, Long> removed = remove(removable(ended));
    long bytes = removed.values().stream().mapToLong(Long::longValue).sum();
    for (ServiceRecord r : ended) {
      bytes += secrets.remove(r.serviceId());
    }
    return new ClearedState(forget.getAsInt(), removed.size(), bytes);
  }

  /** The folders of {@code records} that may be removed: see the class comment. */
  List<String> removable(List<ServiceRecord> records) {
    Set<String> live = scheduler.discover().stream().map(SubmittedJob::serviceId).collect(Collectors.toSet());
    List<String> out = new ArrayList<>();
    for (ServiceRecord r : records) {
      if (r.state().isFinal() && r.backend().equals(scheduler.name()) && ServiceId.FULL.matcher(r.serviceId()).matches()
          && r.serviceDir().equals(scheduler.folderOf(r.serviceId())) && !live.contains(r.serviceId())) {
        out.add(r.serviceDir());
      }
    }
    return out;
  }

  /**
   * Removes {@code folders} and returns how many bytes they used, by folder that existed.
   *
   * @throws OperationFailedException when one cannot be removed
   */
  Map<String, Long> remove(List<String> folders) {
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (int i = 0; i < folders.size(); i += BATCH) {
      List<String> batch = folders.subList(i, Math.min(folders.size(), i + BATCH));
      List<String> du = new ArrayList<>(List.of("du", "-sk", "--"));
      du.addAll(batch);
      // A folder already gone makes du fail for it alone; the others are still listed.
      CommandResult sized = shell.run(du, Shell.SHORT_TIMEOUT);
      for (String line : sized.stdout().split("\n")) {
        int tab = line.indexOf('\t');
        if (tab > 0 && line.substring(0, tab).matches("\\d{1,15}") && batch.contains(line.substring(tab + 1))) {
          sizes.put(line.substring(tab + 1), Long.parseLong(line.substring(0, tab)) * 1024);
        }
      }
      List<String> existing = batch.stream().filter(sizes::containsKey).toList();
      if (existing.isEmpty()) {
        continue;
      }
      List<String> rm = new ArrayList<>(List.of("rm", "-rf", "--"));
      rm.addAll(existing);
      CommandResult removed = shell.run(rm, Shell.SHORT_TIMEOUT);
      if (!removed.ok()) {
        throw new OperationFailedException("cannot remove ended services' folders: "
            + removed.stderr().strip().lines().findFirst().orElse("rm exited with " + removed.exitCode()));
      }
    }
    return sizes;
  }
}
