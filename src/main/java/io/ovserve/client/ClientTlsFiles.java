package io.ovserve.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client's CA bundle, and its certificate and key for mTLS, re-read when a new connection finds them last read
 * more than the reload period ago: only new connections use them, so a client reads nothing while its connections
 * last, and a renewal reaches the next connection it opens. Files that do not make a usable set (unreadable, or a
 * key that does not fit its certificate, as when a renewal is written halfway) are logged once and ignored: the
 * last good ones stay, and the next period tries again.
 */
final class ClientTlsFiles {

    private static final System.Logger LOG = System.getLogger(ClientTlsFiles.class.getName());
    private static final String ALIAS = "client";
    /** Of the in-memory key store only: PKCS#12 keys with an empty password are not handed to the key manager. */
    private static final char[] PASSWORD = "in-memory".toCharArray();

    private final Path caBundle;
    private final Path certificate;
    private final Path key;
    private final long periodNanos;
    private final RotatingTrustManager trust;
    private final RotatingKeyManager keys;
    private byte[] caRead;
    private byte[] certificateRead;
    private byte[] keyRead;
    private long nextRead;
    private String failureLogged;
    private Runnable forgetSessions = () -> {
    };

    /** Reads the files now; throws IllegalArgumentException naming them if they do not make a usable set. */
    ClientTlsFiles(Path caBundle, Path certificate, Path key, Duration reloadPeriod) {
        this.caBundle = caBundle;
        this.certificate = certificate;
        this.key = key;
        this.periodNanos = reloadPeriod.toNanos();
        this.nextRead = System.nanoTime() + periodNanos;
        try {
            caRead = Files.readAllBytes(caBundle);
            trust = new RotatingTrustManager(trustManager(caRead));
            if (certificate != null) {
                certificateRead = Files.readAllBytes(certificate);
                keyRead = Files.readAllBytes(key);
                keys = new RotatingKeyManager(keyManager(certificateRead, keyRead), List.of(ALIAS));
            } else {
                keys = null;
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the TLS files (" + files() + "): " + e.getMessage(), e);
        }
    }

    RotatingTrustManager trust() {
        return trust;
    }

    /** Null without a client certificate. */
    RotatingKeyManager keys() {
        return keys;
    }

    /**
     * Runs when the files changed: a TLS session resumed from before would carry the old identities, so the client's
     * cached sessions must go and new connections do full handshakes.
     */
    synchronized void onRenewal(Runnable forget) {
        forgetSessions = forget;
    }

    /** Before a new connection's handshake: re-reads the files if the period has passed since they were last read. */
    synchronized void reloadIfDue() {
        long now = System.nanoTime();
        if (now - nextRead < 0) {
            return;
        }
        nextRead = now + periodNanos;
        try {
            reload();
            failureLogged = null;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String failure = String.valueOf(e.getMessage());
            if (!failure.equals(failureLogged)) {
                failureLogged = failure;
                LOG.log(System.Logger.Level.WARNING, "TLS: cannot use the renewed files ({0}): {1}; keeping the last"
                        + " good ones, and reading them again in {2}", files(), failure, Duration.ofNanos(periodNanos));
            }
        }
    }

    private void reload() throws IOException, GeneralSecurityException {
        byte[] ca = Files.readAllBytes(caBundle);
        if (!Arrays.equals(ca, caRead)) {
            trust.rotate(trustManager(ca));
            caRead = ca;
            forgetSessions.run();
            LOG.log(System.Logger.Level.INFO, "TLS: renewed CA bundle {0} read: {1}", caBundle,
                    certificates(ca).stream().map(each -> each.getSubjectX500Principal().getName()).toList());
        }
        if (keys != null) {
            byte[] chain = Files.readAllBytes(certificate);
            byte[] privateKey = Files.readAllBytes(key);
            if (!Arrays.equals(chain, certificateRead) || !Arrays.equals(privateKey, keyRead)) {
                keys.rotate(keyManager(chain, privateKey), List.of(ALIAS));
                certificateRead = chain;
                keyRead = privateKey;
                forgetSessions.run();
                X509Certificate leaf = certificates(chain).get(0);
                LOG.log(System.Logger.Level.INFO, "TLS: renewed client certificate {0} read: {1}, serial {2}",
                        certificate, leaf.getSubjectX500Principal().getName(), leaf.getSerialNumber().toString());
            }
        }
    }

    private String files() {
        return "CA bundle " + caBundle + (certificate != null ? ", certificate " + certificate + ", key " + key : "");
    }

    private static X509TrustManager trustManager(byte[] pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<X509Certificate> cas = certificates(pem);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static X509KeyManager keyManager(byte[] chain, byte[] pemKey) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, PemPrivateKey.read(pemKey), PASSWORD, certificates(chain).toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD);
        return (X509KeyManager) factory.getKeyManagers()[0];
    }

    private static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
        List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)).stream().map(X509Certificate.class::cast).toList();
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate in the file");
        }
        return certificates;
    }
}
