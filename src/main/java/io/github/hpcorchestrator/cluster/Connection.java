package io.github.hpcorchestrator.cluster;

/**
 * Where a running service listens, as its job recorded it in its connection file.
 *
 * @param host node host name, as the scheduler's side resolves it
 * @param port the port the service really got
 * @param jobId the job that runs it
 */
public record Connection(String host, int port, String jobId) {}
