package io.ovserve.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The CA bundle a TLS endpoint verifies its peers against, replaced without rebuilding its TLS context: each
 * handshake checks with the trust manager current when it checks. Handshakes done keep their verdict. Used by the
 * client ({@link ChannelSecurity}) and by the server's gRPC port.
 */
public final class RotatingTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_CA = new X509Certificate[0];

    private final boolean namesItsCas;
    private volatile X509TrustManager current;

    public RotatingTrustManager(X509TrustManager initial) {
        this(initial, true);
    }

    private RotatingTrustManager(X509TrustManager initial, boolean namesItsCas) {
        this.current = initial;
        this.namesItsCas = namesItsCas;
    }

    /**
     * A server's, naming no CA to its clients (an empty certificate_authorities list, which TLS reads as "any"):
     * OpenSSL copies the list once, when its context is made, so a renewed bundle would go unannounced and clients
     * of a new CA would withhold their certificate. Clients send theirs, checked against the current bundle.
     */
    public static RotatingTrustManager namingNoCa(X509TrustManager initial) {
        return new RotatingTrustManager(initial, false);
    }

    /** Verifies peers with {@code next} from the next check on. */
    public void rotate(X509TrustManager next) {
        current = next;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        X509TrustManager now = current;
        if (now instanceof X509ExtendedTrustManager extended) {
            extended.checkClientTrusted(chain, authType, socket);
        } else {
            now.checkClientTrusted(chain, authType);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        X509TrustManager now = current;
        if (now instanceof X509ExtendedTrustManager extended) {
            extended.checkClientTrusted(chain, authType, engine);
        } else {
            now.checkClientTrusted(chain, authType);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current.checkClientTrusted(chain, authType);
    }

    /** With the engine, so that the JDK's own trust manager also verifies the server's name (grpc-java asks it to). */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        X509TrustManager now = current;
        if (now instanceof X509ExtendedTrustManager extended) {
            extended.checkServerTrusted(chain, authType, engine);
        } else {
            now.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        X509TrustManager now = current;
        if (now instanceof X509ExtendedTrustManager extended) {
            extended.checkServerTrusted(chain, authType, socket);
        } else {
            now.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return namesItsCas ? current.getAcceptedIssuers() : NO_CA;
    }
}
