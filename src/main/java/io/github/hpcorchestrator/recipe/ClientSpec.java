package io.github.hpcorchestrator.recipe;

import io.github.hpcorchestrator.client.ClientPlan;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One benchmark client as a recipe declares it: a job that sends load to a target and ends by itself.
 *
 * <p>The workload, prompts and load are already in the form the client job reads ({@link ClientPlan}); only
 * the target is still to be resolved to a URL, and a prompts file is still the user's local file.
 *
 * @param name the client's name, the first part of its ID
 * @param description free text, may be empty
 * @param target where the load goes, not yet resolved
 * @param workload what one request is
 * @param prompts what the requests carry; a {@code file} entry is the job-folder name {@link #PROMPTS_FILE}
 * @param promptsFile the local JSONL file that is sent with the job as {@link #PROMPTS_FILE}, if any
 * @param load how many requests, how fast, and the warmup
 * @param maxErrorRate fraction of measured requests that may fail before the run counts as failed (0..1)
 * @param resources what the client's job asks the scheduler for
 */
public record ClientSpec(
    String name,
    String description,
    ClientTarget target,
    ClientPlan.Workload workload,
    ClientPlan.Prompts prompts,
    Optional<Path> promptsFile,
    ClientPlan.Load load,
    double maxErrorRate,
    ResourceSpec resources) {
  /** The name a prompts file has in the client's job folder. */
  public static final String PROMPTS_FILE = "prompts.jsonl";
}
