package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one status refresh writes: only rows whose observation changed, and the log tail of each
 * service first seen final, kept so that no later refresh reads that log again. A refresh that
 * saw nothing new writes nothing and so takes no write lock.
 */
final class RefreshWrites {
  private final StateStore store;
  private final List<ServiceRecord> changed;
  private final Map<String, List<String>> kept;
  private final Map<String, List<String>> newTails = new HashMap<>();
  private final Function<ServiceRecord, List<String>> readTail;

  /**
   * @param settled rows the refresh settled without a poll (always written)
   * @param readTail reads a service's log tail where it ran
   */
  RefreshWrites(StateStore store, List<ServiceRecord> settled, Function<ServiceRecord, List<String>> readTail) {
    this.store = store;
    this.changed = new ArrayList<>(settled);
    this.kept = store.logTails();
    this.readTail = readTail;
  }

  /**
   * The log tail shown for {@code r}, which was not polled: the one kept, else, when {@code readable}
   * (a failed job of this backend), its log read once now and kept from then on.
   */
  List<String> tail(ServiceRecord r, boolean readable) {
    List<String> tail = kept.get(r.serviceId());
    if (tail != null || !readable) {
      return tail == null ? List.of() : tail;
    }
    tail = readTail.apply(r); // a row from before tails were kept, or whose tail could not be kept
    newTails.put(r.serviceId(), tail);
    return tail;
  }

  /** Records a poll's outcome: {@code after} is written if it differs from {@code before}. */
  void observed(ServiceRecord before, ServiceRecord after, JobStatus job) {
    if (!after.equals(before)) {
      changed.add(after);
    }
    if (job.state().isFinal()) {
      newTails.put(after.serviceId(), job.logTail()); // the poll read it, the first time it saw the job final
    }
  }

  /** Writes what changed, in one transaction; nothing at all when nothing did. */
  void commit() {
    store.observe(changed, newTails);
  }
}
