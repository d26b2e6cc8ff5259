package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmStatesTest {

  @ParameterizedTest
  @CsvSource({
      "PENDING,PENDING", "CONFIGURING,PENDING", "REQUEUED,PENDING", "SUSPENDED,PENDING",
      "RUNNING,RUNNING", "COMPLETING,RUNNING",
      "COMPLETED,COMPLETED", "FAILED,FAILED", "TIMEOUT,FAILED", "NODE_FAIL,FAILED",
      "PREEMPTED,FAILED", "OUT_OF_MEMORY,FAILED", "BOOT_FAIL,FAILED", "DEADLINE,FAILED",
      "CANCELLED,CANCELLED", "'CANCELLED by 1000',CANCELLED", "CANCELLED+,CANCELLED",
      "WHATEVER,UNKNOWN"})
  void mapsStates(String slurm, JobState expected) {
    assertThat(SlurmStates.state(slurm)).isEqualTo(expected);
  }

  @Test
  void explainsPendingReasons() {
    assertThat(SlurmStates.reasonWords("Resources")).isEqualTo("waiting for free resources");
    assertThat(SlurmStates.reasonWords("Priority")).contains("higher priority");
    assertThat(SlurmStates.reasonWords("QOSMaxJobsPerUserLimit")).contains("QOS");
    assertThat(SlurmStates.reasonWords("ReqNodeNotAvail, UnavailableNodes:n3"))
        .startsWith("waiting: a requested node is not available").endsWith("(ReqNodeNotAvail, UnavailableNodes:n3)");
    assertThat(SlurmStates.reasonWords("AssocGrpCpuLimit")).contains("CPU limit");
    assertThat(SlurmStates.reasonWords("BeginTime")).isEqualTo("waiting for its start time");
    assertThat(SlurmStates.reasonWords("Dependency")).contains("depends on");
    assertThat(SlurmStates.reasonWords("JobHeldUser")).contains("held by the user");
    assertThat(SlurmStates.reasonWords("PartitionTimeLimit")).contains("partition");
    assertThat(SlurmStates.reasonWords("QOSGrpNodeLimit")).isEqualTo("waiting: a QOS limit is reached (QOSGrpNodeLimit)");
    assertThat(SlurmStates.reasonWords("SomethingNew")).isEqualTo("waiting (SLURM reason: SomethingNew)");
    assertThat(SlurmStates.reasonWords("None")).isEmpty();
  }

  @Test
  void explainsEndStates() {
    assertThat(SlurmStates.stateWords("TIMEOUT")).isEqualTo("reached its time limit");
    assertThat(SlurmStates.stateWords("OUT_OF_MEMORY")).isEqualTo("ran out of memory");
    assertThat(SlurmStates.stateWords("RUNNING")).isEmpty();
  }
}
