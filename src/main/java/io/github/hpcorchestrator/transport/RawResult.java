package io.github.hpcorchestrator.transport;

/** A finished remote command's exit code and its output, as bytes (files may not be text). */
record RawResult(int exitCode, byte[] stdout, byte[] stderr) {}
