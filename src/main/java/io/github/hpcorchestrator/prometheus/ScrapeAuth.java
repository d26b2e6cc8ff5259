package io.github.hpcorchestrator.prometheus;

/**
 * How a scrape job authenticates to an HTTPS target: basic auth with a password read from a file,
 * and TLS verified against a CA file for a given server name.
 *
 * @param username basic-auth user
 * @param passwordFile file holding the password (never the password itself in the config)
 * @param caFile PEM certificate(s) the target's certificate must chain to
 * @param serverName name the certificate must carry
 */
public record ScrapeAuth(String username, String passwordFile, String caFile, String serverName) {}
