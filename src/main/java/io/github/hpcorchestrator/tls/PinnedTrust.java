package io.github.hpcorchestrator.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust in exactly the given certificates: a server is accepted when the certificate it shows is one
 * of them, whatever host name the connection used.
 *
 * <p>The pin replaces name checks: a monitor's certificate is made before SLURM picks its node, so it
 * names only localhost and 127.0.0.1, while the CLI reaches it through tunnels and client jobs by the
 * node's name. Being the monitor's own self-signed certificate, the pin is the stronger check.
 */
public final class PinnedTrust extends X509ExtendedTrustManager {
  private final List<X509Certificate> pinned;

  private PinnedTrust(List<X509Certificate> pinned) {
    this.pinned = List.copyOf(pinned);
  }

  /** A TLS context whose only trust is {@code pinned}; at least one certificate. */
  public static SSLContext context(List<X509Certificate> pinned) throws GeneralSecurityException {
    if (pinned.isEmpty()) {
      throw new GeneralSecurityException("no certificate to pin");
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new PinnedTrust(pinned)}, new SecureRandom());
    return context;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0 || !pinned.contains(chain[0])) {
      throw new CertificateException("the server's certificate is not the pinned one (the monitor's own)");
    }
    chain[0].checkValidity();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("not a server for clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("not a server for clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("not a server for clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pinned.toArray(X509Certificate[]::new);
  }
}
