package io.ovserve.tls;

import io.ovserve.client.RotatingKeyManager;
import io.ovserve.client.RotatingTrustManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.jboss.logging.Logger;

/**
 * The certificate, key and client CA bundle both ports serve with, per configuration of the TLS registry, as key and
 * trust managers that follow renewed files: every {@code ovserve.tls.reload-period} the registry re-reads the files,
 * and when the certificates presented or the CAs trusted changed, the managers hand the next handshakes to the new
 * ones; established connections keep their session. A key that does not fit its certificate (a renewal written
 * halfway) is refused and logged once; the last good pair stays until a later reload brings a good one.
 * <p>
 * Not Quarkus's own {@code quarkus.tls.<name>.reload-period}: it fires {@code CertificateUpdatedEvent} at every
 * period, changed or not, and the HTTP server then swaps its TLS context through Vert.x 4.5's
 * {@code updateSSLOptions}, which leaves the server's context an unfinished future for a moment: a connection
 * accepted then fails with a NullPointerException in {@code TCPServerBase} (seen here in {@code
 * CertificateRotationTest}). Managers that delegate never swap the context, so no connection meets that window.
 */
@ApplicationScoped
public class ServingCertificates {

    private static final Logger LOG = Logger.getLogger(ServingCertificates.class);

    private final TlsConfigurationRegistry registry;
    private final Vertx vertx;
    private final Optional<Duration> reloadPeriod;
    private final Map<String, Renewing> served = new ConcurrentHashMap<>();
    private volatile Long timer;

    ServingCertificates(TlsConfig config, TlsConfigurationRegistry registry, Vertx vertx) {
        this.registry = registry;
        this.vertx = vertx;
        this.reloadPeriod = Optional.of(config.reloadPeriod()).filter(period -> !period.isZero() && !period.isNegative());
    }

    /** A configuration's managers, built from the registry on first use and renewed from then on. */
    public Renewing of(String name) {
        Renewing renewing = served.computeIfAbsent(name, this::build);
        startRenewing();
        return renewing;
    }

    /** How the files are followed, for start-up logs. */
    String describeReloading() {
        return reloadPeriod.map(period -> "renewed files read every " + period)
                .orElse("files read once (ovserve.tls.reload-period=0)");
    }

    private synchronized void startRenewing() {
        if (timer == null && reloadPeriod.isPresent()) {
            timer = vertx.setPeriodic(reloadPeriod.get().toMillis(), id -> vertx.executeBlocking(() -> {
                served.values().forEach(Renewing::renew);
                return null;
            }, false));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        Long running = timer;
        if (running != null) {
            vertx.cancelTimer(running);
        }
    }

    private Renewing build(String name) {
        TlsConfiguration configuration = registry.get(name).orElseThrow(() -> new IllegalStateException(
                "no TLS configuration quarkus.tls." + name + ".*"));
        if (configuration.getKeyStoreOptions() == null) {
            throw new IllegalStateException("quarkus.tls." + name + " has no key store: give the server's certificate"
                    + " and key (quarkus.tls." + name + ".key-store.pem.0.cert and .key)");
        }
        return named(name, () -> new Renewing(name, configuration));
    }

    /** One configuration's managers, and what they hold, to tell a renewal from a re-read of the same files. */
    public final class Renewing {

        private final String name;
        private final TlsConfiguration configuration;
        private final RotatingKeyManager keys;
        private final Optional<RotatingTrustManager> trust;
        private String presented;
        private String trusted;
        private String failureLogged;

        private Renewing(String name, TlsConfiguration configuration) throws Exception {
            this.name = name;
            this.configuration = configuration;
            this.keys = new RotatingKeyManager(keyManager(), aliases(configuration));
            this.trust = configuration.getTrustStoreOptions() == null ? Optional.empty()
                    : Optional.of(RotatingTrustManager.namingNoCa(trustManager()));
            this.presented = presented(configuration);
            this.trusted = trusted(configuration);
        }

        public RotatingKeyManager keys() {
            return keys;
        }

        /** The managers checking client certificates; empty when the configuration has no trust store. */
        public Optional<RotatingTrustManager> trust() {
            return trust;
        }

        /** Requires a trust store, naming the setting that needs it. */
        public RotatingTrustManager requireTrust(String neededBy) {
            return trust.orElseThrow(() -> new IllegalStateException(neededBy + " needs the CA bundle client"
                    + " certificates chain to: quarkus.tls." + name + ".trust-store.pem.certs"));
        }

        private synchronized void renew() {
            try {
                if (!configuration.reload()) {
                    return;
                }
                String nowPresented = presented(configuration);
                String nowTrusted = trusted(configuration);
                if (!nowPresented.equals(presented)) {
                    keys.rotate(keyManager(), aliases(configuration));
                    LOG.infof("TLS (quarkus.tls.%s): the server presents the renewed certificate %s", name,
                            nowPresented);
                }
                if (trust.isPresent() && !nowTrusted.equals(trusted)) {
                    trust.get().rotate(trustManager());
                    LOG.infof("TLS (quarkus.tls.%s): client certificates are checked against the renewed CA bundle %s",
                            name, nowTrusted);
                }
                presented = nowPresented;
                trusted = nowTrusted;
                failureLogged = null;
            } catch (Exception e) {
                String failure = String.valueOf(e.getMessage());
                if (!failure.equals(failureLogged)) {
                    failureLogged = failure;
                    LOG.warnf("TLS (quarkus.tls.%s): the renewed files are not usable (%s); both ports keep the last"
                            + " good certificate and CA bundle, and the next reload tries again", name, failure);
                }
            }
        }

        private X509KeyManager keyManager() throws Exception {
            return (X509KeyManager) configuration.getKeyStoreOptions().getKeyManagerFactory(vertx).getKeyManagers()[0];
        }

        private X509TrustManager trustManager() throws Exception {
            return (X509TrustManager) configuration.getTrustStoreOptions().getTrustManagerFactory(vertx)
                    .getTrustManagers()[0];
        }
    }

    /** The key store's entries with a key: each pair a handshake may present. */
    private static List<String> aliases(TlsConfiguration configuration) throws KeyStoreException {
        KeyStore store = configuration.getKeyStore();
        List<String> aliases = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                aliases.add(alias);
            }
        }
        return aliases;
    }

    /** The certificates presented, by subject and serial: what a renewal changes. */
    private static String presented(TlsConfiguration configuration) throws KeyStoreException {
        KeyStore store = configuration.getKeyStore();
        List<String> certificates = new ArrayList<>();
        for (String alias : aliases(configuration)) {
            X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
            certificates.add(certificate.getSubjectX500Principal().getName() + " serial "
                    + certificate.getSerialNumber());
        }
        return String.join(", ", certificates);
    }

    /** The CAs trusted, by subject and serial; empty without a trust store. */
    private static String trusted(TlsConfiguration configuration) throws KeyStoreException {
        KeyStore store = configuration.getTrustStore();
        if (store == null) {
            return "";
        }
        List<String> cas = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.getCertificate(alias) instanceof X509Certificate ca) {
                cas.add(ca.getSubjectX500Principal().getName() + " serial " + ca.getSerialNumber());
            }
        }
        Collections.sort(cas);
        return cas.toString();
    }

    /** What the registry's options build, a failure named after the configuration it came from. */
    static <T> T named(String name, Callable<T> build) {
        try {
            return build.call();
        } catch (Exception e) {
            throw new IllegalStateException("quarkus.tls." + name + ": " + e.getMessage(), e);
        }
    }
}
