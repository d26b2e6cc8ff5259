package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.LocalScheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows without a job ID: adopted by the identity their job carries, or settled once a submit would have ended. */
class OrphanJobsTest {
  private static final Instant SUBMITTED = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  private OrphanJobs at(LocalScheduler scheduler, Instant now) {
    return new OrphanJobs(scheduler, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static ServiceRecord row(String id, String jobId, String serviceDir) {
    return new ServiceRecord(id, "sleeper", "session_1", "local", jobId, serviceDir, 0, JobState.PENDING, "", "", 0,
        Optional.empty(), SUBMITTED, Optional.empty(), Optional.empty(), "r.yaml");
  }

  @Test
  void aRowWhoseJobLeftItsIdInItsFolderIsAdopted() throws IOException {
    try (LocalShell shell = new LocalShell()) {
      LocalScheduler scheduler = new LocalScheduler(dir, shell, java.time.Duration.ofSeconds(1));
      Path folder = Files.createDirectories(dir.resolve("sleeper_0123abcd"));
      Files.writeString(folder.resolve("job.pid"), "4242\n");
      // A row written by an older version has no folder either; it is filled in.
      OrphanJobs.Merged merged = at(scheduler, SUBMITTED.plusSeconds(5)).merge(List.of(row("sleeper_0123abcd", "", "")),
          List.of());
      ServiceRecord adopted = merged.records().get("sleeper_0123abcd");
      assertThat(adopted.job()).isEqualTo(new SubmittedJob("sleeper_0123abcd", "4242", folder.toString()));
      assertThat(merged.settled()).isEmpty();
    }
  }

  @Test
  void aRowWithoutAnyJobWaitsOutASubmitAndIsThenSettledAsUnknown() {
    try (LocalShell shell = new LocalShell()) {
      LocalScheduler scheduler = new LocalScheduler(dir, shell, java.time.Duration.ofSeconds(1));
      List<ServiceRecord> rows = List.of(row("sleeper_0123abcd", "", dir.resolve("sleeper_0123abcd").toString()));

      OrphanJobs.Merged early = at(scheduler, SUBMITTED.plus(OrphanJobs.SUBMIT_GRACE)).merge(rows, List.of());
      assertThat(early.records().get("sleeper_0123abcd").state()).isEqualTo(JobState.PENDING);
      assertThat(early.records().get("sleeper_0123abcd").reason()).contains("no job ID recorded yet");
      assertThat(early.settled()).isEmpty();

      OrphanJobs.Merged late = at(scheduler, SUBMITTED.plus(OrphanJobs.SUBMIT_GRACE).plusSeconds(1)).merge(rows,
          List.of());
      assertThat(late.settled()).singleElement().satisfies(r -> {
        assertThat(r.state()).isEqualTo(JobState.UNKNOWN);
        assertThat(r.endedAt()).isPresent();
        assertThat(r.jobId()).isEmpty();
      });
    }
  }

  @Test
  void aDiscoveredJobOfARowWithoutIdIsAdoptedAndAnUnknownOneIsAdded() {
    try (LocalShell shell = new LocalShell()) {
      LocalScheduler scheduler = new LocalScheduler(dir, shell, java.time.Duration.ofSeconds(1));
      String folder = dir.resolve("sleeper_0123abcd").toString();
      OrphanJobs.Merged merged = at(scheduler, SUBMITTED.plusSeconds(1)).merge(List.of(row("sleeper_0123abcd", "", folder)),
          List.of(new SubmittedJob("sleeper_0123abcd", "77", folder),
              new SubmittedJob("other_89abcdef", "78", dir.resolve("other_89abcdef").toString())));
      assertThat(merged.records().get("sleeper_0123abcd").jobId()).isEqualTo("77");
      assertThat(merged.records().get("other_89abcdef").sessionId()).isEqualTo("discovered");
    }
  }
}
