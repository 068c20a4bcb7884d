package io.ovserve.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ovserve.api.RejectionLog;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * {@code ovserve.tls.allowed-clients}: who may call, by the identities of the client certificate the TLS handshake
 * verified. The verdict is kept on the TLS session, so a connection's later calls cost a lookup only. Refusals are
 * counted ({@code ovserve_tls_clients_refused_total}, per interface) and logged at most once per 10 s.
 */
@ApplicationScoped
public class AllowedClients {

    private static final String VERDICT = AllowedClients.class.getName();
    private static final Object ALLOWED = Boolean.TRUE;

    private final Optional<Set<String>> allowed;
    private final Counter refusedGrpc;
    private final Counter refusedRest;
    private final RejectionLog log = new RejectionLog();

    AllowedClients(TlsConfig config, MeterRegistry registry) {
        this.allowed = config.allowedClients();
        this.refusedGrpc = refusals(registry, "gRPC");
        this.refusedRest = refusals(registry, "REST");
    }

    private static Counter refusals(MeterRegistry registry, String iface) {
        return Counter.builder("ovserve.tls.clients.refused")
                .description("Calls refused because the client certificate names no identity in "
                        + "ovserve.tls.allowed-clients, or none was given")
                .tag("interface", iface).register(registry);
    }

    /** Whether an allow-list is configured: without one, every client the handshake accepted may call. */
    public boolean enabled() {
        return allowed.isPresent();
    }

    /** Throws CLIENT_NOT_ALLOWED unless the session's client certificate names an allowed client. */
    public void checkGrpc(SSLSession session) {
        check(session, refusedGrpc);
    }

    public void checkRest(SSLSession session) {
        check(session, refusedRest);
    }

    private void check(SSLSession session, Counter refused) {
        if (allowed.isEmpty()) {
            return;
        }
        Object verdict = session == null ? refusal("no TLS session: this port is plaintext") : session.getValue(VERDICT);
        if (verdict == null) {
            verdict = decide(session);
            session.putValue(VERDICT, verdict);
        }
        if (verdict instanceof ServingException refusal) {
            refused.increment();
            log.rejected("client not allowed", refusal.getMessage());
            throw refusal;
        }
    }

    /** {@link #ALLOWED}, or the refusal. */
    private Object decide(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return refusal("no client certificate was presented");
        }
        List<String> names = ClientIdentity.names((X509Certificate) chain[0]);
        if (names.stream().anyMatch(allowed.get()::contains)) {
            return ALLOWED;
        }
        return refusal("the client certificate names " + names + ", none of them in ovserve.tls.allowed-clients");
    }

    private static ServingException refusal(String why) {
        return new ServingException(StatusCode.CLIENT_NOT_ALLOWED, "client not allowed: " + why);
    }
}
