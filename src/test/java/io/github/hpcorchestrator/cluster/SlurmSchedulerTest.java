package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlurmSchedulerTest {
  private static final String DIR = "/home/alice/.orchestrator/services/prom_0123abcd";

  private final FakeShell shell = new FakeShell();
  private final MutableClock clock = new MutableClock();
  private final SlurmScheduler slurm = new SlurmScheduler(shell, "$HOME/.orchestrator",
      new SlurmDefaults(Optional.of("proj1"), Optional.of("cpu"), Optional.empty(), Optional.of("01:00:00"),
          List.of("--exclusive", "#SBATCH --constraint=haswell")), clock);

  private static JobSpec spec(List<String> argv, Map<String, String> env, ResourceSpec resources,
      Optional<ContainerSpec> container, Map<String, String> files) {
    return new JobSpec("prom_0123abcd", argv, env, 9090, resources, container, files);
  }

  private static JobSpec simple(List<String> argv) {
    return spec(argv, Map.of(), ResourceSpec.none(), Optional.empty(), Map.of());
  }

  private static List<String> sbatchLines(String script) {
    return script.lines().filter(l -> l.startsWith("#SBATCH")).toList();
  }

  @Test
  void expandsHomeInRemoteDir() {
    assertThat(slurm.serviceDir("prom_0123abcd")).isEqualTo(DIR);
    assertThat(new SlurmScheduler(shell, "~/o/", SlurmDefaults.none(), clock).serviceDir("x"))
        .isEqualTo("/home/alice/o/services/x");
    assertThat(slurm.name()).isEqualTo("slurm");
  }

  @Test
  void rendersDirectivesFromResourcesOverDefaults() {
    ResourceSpec resources = new ResourceSpec(Optional.of("4G"), Optional.of(2), Optional.empty(),
        Optional.of("gpu"), Optional.of("short"), Optional.empty(), Optional.of(1), Optional.of(1),
        Optional.of(1), Optional.of("gpu:1"));
    String script = slurm.renderScript(spec(List.of("x"), Map.of(), resources, Optional.empty(), Map.of()));
    assertThat(script).startsWith("#!/bin/bash\n#SBATCH --job-name=prom_0123abcd\n");
    assertThat(sbatchLines(script)).containsExactly(
        "#SBATCH --job-name=prom_0123abcd",
        "#SBATCH --output=" + DIR + "/slurm-%j.out",
        "#SBATCH --chdir=" + DIR,
        "#SBATCH --mem=4G",
        "#SBATCH --cpus-per-task=2",
        "#SBATCH --time=01:00:00",
        "#SBATCH --partition=gpu",
        "#SBATCH --qos=short",
        "#SBATCH --account=proj1",
        "#SBATCH --nodes=1",
        "#SBATCH --ntasks=1",
        "#SBATCH --ntasks-per-node=1",
        "#SBATCH --gres=gpu:1",
        "#SBATCH --exclusive",
        "#SBATCH --constraint=haswell");
    // sbatch stops reading directives at the first command: all of them come before the body.
    int lastDirective = script.lastIndexOf("#SBATCH");
    assertThat(script.indexOf("set -u")).isGreaterThan(lastDirective);
  }

  @Test
  void rejectsDirectiveValuesWithNewlines() {
    ResourceSpec evil = new ResourceSpec(Optional.of("4G\n#SBATCH --uid=0"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> slurm.renderScript(spec(List.of("x"), Map.of(), evil, Optional.empty(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mem");
    SlurmScheduler extra = new SlurmScheduler(shell, "/o", new SlurmDefaults(Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("--exclusive\nrm -rf /")), clock);
    assertThatThrownBy(() -> extra.renderScript(simple(List.of("x"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostileArgvAndEnvironmentOnlyAppearSingleQuoted() {
    String hostile = "$(touch /tmp/pwned) `id` \"; rm -rf / #'";
    String script = slurm.renderScript(spec(List.of("/bin/echo", hostile, "--port={port}"),
        Map.of("EVIL", hostile), ResourceSpec.none(), Optional.empty(), Map.of()));
    String quoted = "'$(touch /tmp/pwned) `id` \"; rm -rf / #'\"'\"''";
    assertThat(script).contains("argv=(/bin/echo " + quoted + " '--port={port}')");
    assertThat(script).contains("env_names=(EVIL)").contains("env_values=(" + quoted + ")");
    assertThat(script.replace(quoted, "")).doesNotContain("touch /tmp/pwned");
  }

  @Test
  void rejectsBadEnvironmentNamesAndEscapingFiles() {
    assertThatThrownBy(() -> slurm.renderScript(spec(List.of("x"), Map.of("A;B", "1"), ResourceSpec.none(),
        Optional.empty(), Map.of()))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> slurm.renderScript(spec(List.of("x"), Map.of(), ResourceSpec.none(),
        Optional.empty(), Map.of("../x", "")))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nativeScriptRunsTheCommandDirectly() {
    String script = slurm.renderScript(spec(List.of("prometheus", "--config.file={service_dir}/p.yml"),
        Map.of(), ResourceSpec.none(), Optional.empty(), Map.of("p.yml", "port: {port}\n")));
    assertThat(script).contains("cmd=(\"${argv[@]}\")").doesNotContain("apptainer");
    assertThat(script).contains("files=(p.yml)");
    assertThat(script).contains("SERVICE_DIR=" + DIR + "\n");
    assertThat(script).contains("free_port 9090\n  PORT=$REPLY\n");
    assertThat(script).contains("finish \"$rc\"");
  }

  @Test
  void containerScriptOnlyChecksTheImageItWasGivenAndRunsApptainer() {
    String script = slurm.renderScript(spec(List.of("prometheus"), Map.of("K", "v"), ResourceSpec.none(),
        Optional.of(new ContainerSpec(Optional.of("docker://prom/prometheus:latest"), Optional.empty())), Map.of()));
    String image = "/home/alice/.orchestrator/images/prom_prometheus_latest.sif";
    assertThat(script).contains("IMAGE=" + image + "\n");
    // The login node builds images before sbatch: the job never does.
    assertThat(script).doesNotContain("apptainer build").doesNotContain("flock");
    assertThat(script).contains("if [ ! -e \"$IMAGE\" ]; then\n  echo \"orchestrator: container image $IMAGE is missing");
    assertThat(script).contains("if ! command -v apptainer >/dev/null 2>&1; then");
    assertThat(script).contains("cmd=(apptainer exec)\ncmd+=(--bind \"$SERVICE_DIR\" --bind \"$SCRATCH_DIR\")");
    assertThat(script).contains("  export \"APPTAINERENV_$name=${!name}\" \"SINGULARITYENV_$name=${!name}\"\n")
        .doesNotContain("--env");
    assertThat(script).contains("cmd+=(\"$IMAGE\" \"${argv[@]}\")");

    String prebuilt = slurm.renderScript(spec(List.of("x"), Map.of(), ResourceSpec.none(),
        Optional.of(new ContainerSpec(Optional.empty(), Optional.of("~/img/p.sif"))), Map.of()));
    assertThat(prebuilt).contains("IMAGE=/home/alice/img/p.sif\n");
  }

  @Test
  void submitCreatesTheFolderWritesFilesAndParsesTheJobId() {
    shell.answer("sbatch", 0, "4242;cluster\n", "");
    SubmittedJob job = slurm.submit(spec(List.of("x"), Map.of(), ResourceSpec.none(), Optional.empty(),
        Map.of("conf/p.yml", "port: {port}\n")));
    assertThat(job).isEqualTo(new SubmittedJob("prom_0123abcd", "4242", DIR));
    assertThat(shell.calls).containsExactly(
        List.of("mkdir", "-p", "--", DIR),
        List.of("sbatch", "--parsable", DIR + "/job.sh"));
    assertThat(new String(shell.files.get(DIR + "/conf/p.yml"), StandardCharsets.UTF_8)).isEqualTo("port: {port}\n");
    assertThat(new String(shell.files.get(DIR + "/job.sh"), StandardCharsets.UTF_8)).startsWith("#!/bin/bash");
  }

  @Test
  void sbatchErrorsBecomeOneLine() {
    shell.answer("sbatch", 1, "", "sbatch: error: Batch job submission failed:\nInvalid account\n");
    assertThatThrownBy(() -> slurm.submit(simple(List.of("x"))))
        .isInstanceOf(SubmitRefusedException.class)
        .hasMessage("sbatch refused prom_0123abcd: sbatch: error: Batch job submission failed:; Invalid account");
  }

  @Test
  void aSbatchCutOffOrUnparsedIsNoRefusal() {
    // sbatch may have accepted the job: the caller must not record it as never started.
    shell.answers.put("sbatch", argv -> {
      throw new OperationFailedException("the connection to alice@login was lost while running sbatch; it may or"
          + " may not have finished");
    });
    assertThatThrownBy(() -> slurm.submit(simple(List.of("x")))).isInstanceOf(OperationFailedException.class)
        .isNotInstanceOf(SubmitRefusedException.class).hasMessageContaining("may or may not have finished");
    shell.answer("sbatch", 0, "Submitted batch job 42 (with a banner)\n", "");
    assertThatThrownBy(() -> slurm.submit(simple(List.of("x")))).isNotInstanceOf(SubmitRefusedException.class)
        .hasMessageStartingWith("sbatch printed no job ID");
  }

  @Test
  void parsesSbatchOutput() {
    assertThat(SlurmScheduler.parseJobId("12345\n")).isEqualTo("12345");
    assertThat(SlurmScheduler.parseJobId("12345;clusterA")).isEqualTo("12345");
    assertThatThrownBy(() -> SlurmScheduler.parseJobId("Submitted batch job"))
        .isInstanceOf(OperationFailedException.class);
  }

  @Test
  void pollOfFiftyJobsIsOneSqueueCall() {
    List<SubmittedJob> jobs = new ArrayList<>();
    StringBuilder queue = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      String id = String.format("s%d_%08x", i, i);
      jobs.add(new SubmittedJob(id, Integer.toString(1000 + i), slurm.serviceDir(id)));
      queue.append(1000 + i).append(i % 2 == 0 ? "|RUNNING|None|cn[1-2]|2026-11-28T14:06:19|" : "|PENDING|Resources||N/A|")
          .append(id).append('|').append(slurm.serviceDir(id)).append('\n');
    }
    shell.answer("squeue", 0, queue.toString(), "");
    Map<String, JobStatus> status = slurm.poll(jobs);
    assertThat(shell.calls).hasSize(1);
    assertThat(shell.calls.get(0)).containsExactly("squeue", "--me", "--noheader", "--states=all",
        "--format=%i|%T|%r|%N|%S|%j|%Z");
    assertThat(status).hasSize(50);
    JobStatus running = status.get(jobs.get(0).serviceId());
    assertThat(running.state()).isEqualTo(JobState.RUNNING);
    assertThat(running.nodes()).containsExactly("cn1", "cn2");
    assertThat(running.startedAt()).contains(Instant.parse("2026-11-28T14:06:19Z"));
    assertThat(status.get(jobs.get(1).serviceId()))
        .isEqualTo(JobStatus.of(JobState.PENDING, "waiting for free resources"));
  }

  @Test
  void pollAndDiscoverWithinASecondShareOneSqueue() {
    shell.answer("squeue", 0, """
        7|RUNNING|None|cn1|2026-11-28T14:06:19|prom_0123abcd|/home/alice/.orchestrator/services/prom_0123abcd
        8|RUNNING|None|cn1|2026-11-28T14:06:19|interactive|/home/alice
        9|COMPLETED|None|cn1|2026-11-28T14:06:19|old_0123abcd|/home/alice/.orchestrator/services/old_0123abcd
        """, "");
    List<SubmittedJob> found = slurm.discover();
    assertThat(found).containsExactly(new SubmittedJob("prom_0123abcd", "7", DIR));
    clock.advance(Duration.ofMillis(500));
    slurm.poll(found);
    assertThat(shell.count("squeue")).isEqualTo(1);
    clock.advance(Duration.ofMillis(600));
    slurm.poll(found);
    assertThat(shell.count("squeue")).isEqualTo(2);
  }

  @Test
  void discoversAndFindsOnlyJobsInThisConfigsServiceFolders() {
    // Another config's job (its own remote_dir), another program's job named like a service, and
    // one whose name is this config's but whose folder is not: none is listed, found or stoppable.
    shell.answer("squeue", 0, String.join("\n",
        "5|RUNNING|None|cn1|2026-11-28T14:06:19|prom_0123abcd|/home/alice/other/services/prom_0123abcd",
        "6|RUNNING|None|cn1|2026-11-28T14:06:19|train_deadbeef|/home/alice/ml",
        "7|RUNNING|None|cn1|2026-11-28T14:06:19|prom_0123abcd|" + DIR,
        "3|COMPLETED|None|cn1|2026-11-28T14:06:19|gone_0123abcd|/home/alice/.orchestrator/services/gone_0123abcd",
        "4|COMPLETED|None|cn1|2026-11-28T14:06:19|gone_0123abcd|/home/alice/.orchestrator/services/gone_0123abcd",
        "8|RUNNING|None|cn1|2026-11-28T14:06:19|train_deadbeef|/home/alice/.orchestrator/services/x",
        ""), "");
    assertThat(slurm.discover()).containsExactly(new SubmittedJob("prom_0123abcd", "7", DIR));
    assertThat(slurm.find("train_deadbeef")).isEmpty();
    assertThat(slurm.find("prom_0123abcd")).contains(new SubmittedJob("prom_0123abcd", "7", DIR));
    // A job that already ended is found too (the latest of its ID), so its outcome can be read.
    assertThat(slurm.find("gone_0123abcd")).contains(new SubmittedJob("gone_0123abcd", "4",
        "/home/alice/.orchestrator/services/gone_0123abcd"));
    assertThat(shell.count("squeue")).isEqualTo(1);
  }

  @Test
  void cancelRefusesAJobWithoutIdOrOutsideItsServiceFolder() {
    assertThatThrownBy(() -> slurm.cancel(new SubmittedJob("prom_0123abcd", "", "")))
        .isInstanceOf(OperationFailedException.class);
    assertThatThrownBy(() -> slurm.cancel(new SubmittedJob("prom_0123abcd", "7", "/home/alice")))
        .isInstanceOf(OperationFailedException.class);
    assertThat(shell.files).isEmpty();
    assertThat(shell.calls).isEmpty();
  }

  @Test
  void discoverFreshAsksSqueueEvenWithinTheCacheWindow() {
    shell.answer("squeue", 0, "7|RUNNING|None|cn1|2026-11-28T14:06:19|prom_0123abcd|" + DIR + "\n", "");
    slurm.discoverFresh();
    clock.advance(Duration.ofMillis(999));
    // A discovery loop one second apart: the second round must see the queue as it is now.
    assertThat(slurm.discoverFresh()).containsExactly(new SubmittedJob("prom_0123abcd", "7", DIR));
    assertThat(shell.count("squeue")).isEqualTo(2);
    slurm.poll(List.of(new SubmittedJob("prom_0123abcd", "7", DIR)));
    assertThat(shell.count("squeue")).isEqualTo(2);
  }

  @Test
  void finishedJobsWithoutAccountingUseTheExitCodeFileOnce() {
    shell.answer("squeue", 0, "", "");
    shell.answer("sacct", 1, "", "sacct: error: Slurm accounting storage is disabled\n");
    shell.answer("tail", 0, "starting\nboom\n", "");
    SubmittedJob failed = new SubmittedJob("a_0123abcd", "11", "/d/a");
    SubmittedJob done = new SubmittedJob("b_0123abcd", "12", "/d/b");
    SubmittedJob stopped = new SubmittedJob("c_0123abcd", "13", "/d/c");
    SubmittedJob vanished = new SubmittedJob("d_0123abcd", "14", "/d/d");
    shell.file("/d/a/exit_code", "3\n");
    shell.file("/d/b/exit_code", "0\n");
    shell.file("/d/c/exit_code", "143\n");
    shell.file("/d/c/cancelled", "cancelled\n");
    Map<String, JobStatus> status = slurm.poll(List.of(failed, done, stopped, vanished));
    assertThat(shell.calls("sacct")).containsExactly(List.of("sacct", "-n", "-P", "-j", "11,12,13,14",
        "-o", "JobID,State,ExitCode,NodeList,Start,JobName"));
    assertThat(status.get("a_0123abcd").state()).isEqualTo(JobState.FAILED);
    assertThat(status.get("a_0123abcd").exitCode()).contains(3);
    assertThat(status.get("a_0123abcd").logTail()).containsExactly("starting", "boom");
    assertThat(shell.calls("tail")).contains(List.of("tail", "-n", "10", "--", "/d/a/slurm-11.out"));
    assertThat(status.get("b_0123abcd").state()).isEqualTo(JobState.COMPLETED);
    assertThat(status.get("c_0123abcd").state()).isEqualTo(JobState.CANCELLED);
    assertThat(status.get("d_0123abcd").state()).isEqualTo(JobState.UNKNOWN);

    clock.advance(Duration.ofSeconds(5));
    int before = shell.calls.size();
    assertThat(slurm.poll(List.of(failed, done))).containsEntry("a_0123abcd", status.get("a_0123abcd"));
    // Only squeue again: sacct is known to be off, and finished outcomes are remembered.
    assertThat(shell.calls.subList(before, shell.calls.size())).extracting(c -> c.get(0)).containsExactly("squeue");
  }

  @Test
  void squeueAndSacctStatesOfFinishedJobs() {
    shell.answer("squeue", 0, "21|TIMEOUT|TimeLimit|cn2|2026-11-28T14:06:19|t_0123abcd|"
        + slurm.serviceDir("t_0123abcd") + "\n", "");
    shell.answer("sacct", 0, "22|OUT_OF_MEMORY|0:125|cn3|2026-11-28T14:06:19|m_0123abcd\n"
        + "22.batch|OUT_OF_MEMORY|0:125|cn3|2026-11-28T14:06:19|batch\n"
        + "23|FAILED|2:0|cn1|2026-11-28T14:06:19|f_0123abcd\n", "");
    Map<String, JobStatus> status = slurm.poll(List.of(new SubmittedJob("t_0123abcd", "21", "/d/t"),
        new SubmittedJob("m_0123abcd", "22", "/d/m"), new SubmittedJob("f_0123abcd", "23", "/d/f")));
    assertThat(shell.calls("sacct").get(0)).contains("22,23");
    assertThat(status.get("t_0123abcd").state()).isEqualTo(JobState.FAILED);
    assertThat(status.get("t_0123abcd").reason()).isEqualTo("reached its time limit");
    assertThat(status.get("t_0123abcd").nodes()).containsExactly("cn2");
    assertThat(status.get("m_0123abcd").reason()).isEqualTo("ran out of memory");
    assertThat(status.get("f_0123abcd").exitCode()).contains(2);
    assertThat(status.get("f_0123abcd").reason()).isEqualTo("exited with code 2");
  }

  @Test
  void pollTakesAQueueRowOnlyWhenItIsThisServicesJob() {
    // Job 7 is a local backend's PID recorded in a shared state_dir; SLURM's job 7 is someone else's.
    // Job 8 is in this config's folder but runs another service; sacct's job 9 has another name.
    shell.answer("squeue", 0, String.join("\n",
        "7|RUNNING|None|cn1|2026-11-28T14:06:19|train_deadbeef|/home/alice/ml",
        "8|RUNNING|None|cn1|2026-11-28T14:06:19|other_0123abcd|" + slurm.serviceDir("other_0123abcd"), ""), "");
    shell.answer("sacct", 0, "9|RUNNING|0:0|cn1|2026-11-28T14:06:19|train_deadbeef\n", "");
    Map<String, JobStatus> status = slurm.poll(List.of(new SubmittedJob("prom_0123abcd", "7", DIR),
        new SubmittedJob("node_0123abcd", "8", slurm.serviceDir("node_0123abcd")),
        new SubmittedJob("ollama_0123abcd", "9", slurm.serviceDir("ollama_0123abcd"))));
    assertThat(status.values()).extracting(JobStatus::state).containsOnly(JobState.UNKNOWN);
    // A listed job ID is that job's in sacct too: only the unlisted one is asked.
    assertThat(shell.calls("sacct")).containsExactly(List.of("sacct", "-n", "-P", "-j", "9", "-o", SacctParser.FIELDS));
  }

  @Test
  void cancelRefusesAListedJobThatIsNotThisServices() {
    shell.answer("squeue", 0, "7|RUNNING|None|cn1|N/A|train_deadbeef|/home/alice/ml\n", "");
    assertThatThrownBy(() -> slurm.cancel(new SubmittedJob("prom_0123abcd", "7", DIR)))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("refusing to cancel prom_0123abcd: SLURM job 7 is train_deadbeef in /home/alice/ml,"
            + " not this service's job");
    assertThat(shell.count("scancel")).isZero();
    assertThat(shell.files).isEmpty();
  }

  @Test
  void cancelMarksScancelsAndWaitsUntilGone() {
    List<String> answers = new ArrayList<>(List.of(
        "7|RUNNING|None|cn1|N/A|prom_0123abcd|" + DIR + "\n", "7|RUNNING|None|cn1|N/A|prom_0123abcd|" + DIR + "\n",
        "7|COMPLETING|None|cn1|N/A|prom_0123abcd|" + DIR + "\n", ""));
    shell.answers.put("squeue", argv -> new io.github.hpcorchestrator.transport.CommandResult(0,
        answers.size() > 1 ? answers.remove(0) : answers.get(0), ""));
    slurm.cancelWait(Duration.ofSeconds(5), Duration.ofMillis(1));
    SubmittedJob job = new SubmittedJob("prom_0123abcd", "7", DIR);
    slurm.cancel(job);
    assertThat(shell.files).containsKey(DIR + "/cancelled");
    // The listing is asked first: the job with that ID must be this service's before anything is signalled.
    assertThat(shell.calls.get(0)).startsWith("squeue");
    assertThat(shell.calls.get(1)).containsExactly("scancel", "7");
    assertThat(shell.count("squeue")).isEqualTo(4);
  }

  @Test
  void cancelGivesUpAfterItsBound() {
    shell.answer("squeue", 0, "7|RUNNING|None|cn1|N/A|prom_0123abcd|" + DIR + "\n", "");
    slurm.cancelWait(Duration.ofMillis(20), Duration.ofMillis(5));
    assertThatThrownBy(() -> slurm.cancel(new SubmittedJob("prom_0123abcd", "7", DIR)))
        .isInstanceOf(OperationFailedException.class).hasMessageContaining("still RUNNING");
  }

  @Test
  void connectionAndLogTailReadTheServiceFolder() {
    SubmittedJob job = new SubmittedJob("prom_0123abcd", "7", DIR);
    assertThat(slurm.connection(job)).isEmpty();
    shell.file(DIR + "/connection", "host=cn1\nport=9091\njob_id=7\nnode=cn1\n");
    assertThat(slurm.connection(job)).contains(new Connection("cn1", 9091, "7"));
    shell.answer("tail", 0, "a\nb\n", "");
    assertThat(slurm.logTail(job, 2)).containsExactly("a", "b");
    assertThat(shell.calls("tail")).containsExactly(List.of("tail", "-n", "2", "--", DIR + "/slurm-7.out"));
  }
}
