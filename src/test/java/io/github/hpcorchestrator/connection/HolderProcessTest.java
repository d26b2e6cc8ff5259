package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HolderProcessTest {
  @TempDir
  Path dir;

  @Test
  void callsRecordingAtTheSameTimeAllSucceedAndOneRecordIsLeft() throws Exception {
    // Calls that start holders together each record their launcher in the same file.
    Path file = dir.resolve("holder.starting");
    HolderProcess me = HolderProcess.current().orElseThrow();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      writers.add(CompletableFuture.runAsync(() -> {
        try {
          go.await();
          for (int n = 0; n < 50; n++) {
            me.write(file);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, r -> new Thread(r).start()));
    }
    go.countDown();
    for (CompletableFuture<Void> w : writers) {
      w.get();
    }

    assertThat(HolderProcess.read(file)).contains(me);
    assertThat(dir.toFile().list()).containsExactly("holder.starting");
  }

  @Test
  void aRunningProcessTellsItsNetworkNamespaceAndARecordWhosePidWasReusedTellsNone() {
    HolderProcess me = HolderProcess.current().orElseThrow();

    assertThat(HolderProcess.ownNetwork()).hasValueSatisfying(n -> assertThat(n).startsWith("net:["));
    assertThat(me.network()).isEqualTo(HolderProcess.ownNetwork());
    // The same pid with another start time: a process that reused the pid, not the recorded one.
    assertThat(new HolderProcess(me.pid(), me.startTime() + 1).network()).isEmpty();
  }
}
