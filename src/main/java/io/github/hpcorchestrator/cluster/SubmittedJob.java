package io.github.hpcorchestrator.cluster;

/**
 * A job the scheduler accepted.
 *
 * @param serviceId the service it runs
 * @param jobId the scheduler's job ID (SLURM job ID, or the process group ID on the local backend)
 * @param serviceDir the service's directory on the side where it runs
 */
public record SubmittedJob(String serviceId, String jobId, String serviceDir) {}
