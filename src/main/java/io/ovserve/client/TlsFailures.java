package io.ovserve.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertPathBuilderException;
import java.util.Optional;

/**
 * Names, in one line, why a connection failed when TLS is the cause: grpc-java reports these as UNAVAILABLE with a
 * generic description ("io exception") and the cause several exceptions deep. The status keeps its code (a
 * balancing client still tries another replica) and its cause; only the description says what was wrong.
 */
final class TlsFailures implements ClientInterceptor {

    private final boolean tls;
    private final String authority;

    /**
     * @param tls whether this channel speaks TLS
     * @param authority the name it verifies servers against
     */
    TlsFailures(boolean tls, String authority) {
        this.tls = tls;
        this.authority = authority;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        super.onClose(explained(status), trailers);
                    }
                }, headers);
            }
        };
    }

    Status explained(Status status) {
        if (status.isOk()) {
            return status;
        }
        // grpc-java's own description ("io exception" and the channel's pipeline) spans lines: the cause stays attached
        return cause(status).map(status::withDescription).orElse(status);
    }

    private Optional<String> cause(Status status) {
        String description = String.valueOf(status.getDescription());
        if (!tls && description.equals("Network closed for unknown reason")) {
            // a TLS server drops an HTTP/2 preface without a word: all a plaintext client sees is the close
            return Optional.of("the server closed the connection before answering: a plaintext client on a TLS port?"
                    + " (connect with TLS and the server's CA bundle)");
        }
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof CertificateExpiredException) {
                return Optional.of("TLS: the server's certificate has expired (" + message + ")");
            }
            if (cause instanceof CertificateNotYetValidException) {
                return Optional.of("TLS: the server's certificate is not valid yet (" + message + ")");
            }
            if (cause instanceof CertPathBuilderException) {
                return Optional.of("TLS: the server's certificate is not signed by a CA of the client's CA bundle");
            }
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return Optional.of("TLS: the server's certificate does not name " + authority
                        + " (set the name the client expects: the Service's, e.g. svc.namespace.svc)");
            }
            if (tls && cause.getClass().getSimpleName().equals("NotSslRecordException")) {
                return Optional.of("TLS client on a plaintext port: the server did not answer in TLS");
            }
            if (message.contains("bad_certificate") || message.contains("certificate_required")
                    || message.contains("certificate_unknown")) {
                return Optional.of("TLS: the server refused the client's certificate (" + message + ")");
            }
        }
        return Optional.empty();
    }
}
