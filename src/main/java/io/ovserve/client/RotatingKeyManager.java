package io.ovserve.client;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The certificate and key a TLS endpoint presents, replaced without rebuilding its TLS context: each handshake asks
 * the key manager current when it starts. The JDK asks for the alias, then the key, then the chain, in three calls:
 * an alias names its generation, so a handshake that began before a {@link #rotate} still gets a matching pair.
 * A pair whose key does not match its certificate (a half-written renewal) is refused, the current one kept.
 * Used by the client ({@link ChannelSecurity}) and by the server's gRPC port.
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {

    private static final byte[] PROBE = "ovserve key pair check".getBytes(StandardCharsets.UTF_8);

    private record Generation(long number, X509KeyManager keys) {

        String tag(String alias) {
            return alias == null ? null : number + "/" + alias;
        }
    }

    private volatile Generation current;
    private volatile Generation previous;

    public RotatingKeyManager(X509KeyManager initial, Collection<String> aliases) {
        requireMatchingPairs(initial, aliases);
        this.current = new Generation(0, initial);
        this.previous = current;
    }

    /** Presents {@code next} from the next handshake on, if the key of each of its {@code aliases} fits its chain. */
    public synchronized void rotate(X509KeyManager next, Collection<String> aliases) {
        requireMatchingPairs(next, aliases);
        previous = current;
        current = new Generation(current.number() + 1, next);
    }

    private static void requireMatchingPairs(X509KeyManager keys, Collection<String> aliases) {
        if (aliases.isEmpty()) {
            throw new IllegalArgumentException("no certificate and key");
        }
        for (String alias : aliases) {
            X509Certificate[] chain = keys.getCertificateChain(alias);
            PrivateKey key = keys.getPrivateKey(alias);
            if (chain == null || chain.length == 0 || key == null) {
                throw new IllegalArgumentException("no certificate and key under '" + alias + "'");
            }
            if (!matches(key, chain[0])) {
                throw new IllegalArgumentException("the key does not belong to the certificate "
                        + chain[0].getSubjectX500Principal().getName() + " (serial " + chain[0].getSerialNumber()
                        + "): a renewal written halfway?");
            }
        }
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448: their own signature names
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            signer.initVerify(certificate.getPublicKey());
            signer.update(PROBE);
            return signer.verify(signature);
        } catch (GeneralSecurityException mismatched) {
            return false;
        }
    }

    private Generation of(String alias) {
        Generation now = current;
        Generation before = previous;
        int slash = alias == null ? -1 : alias.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String number = alias.substring(0, slash);
        return number.equals(Long.toString(now.number())) ? now
                : number.equals(Long.toString(before.number())) ? before : null;
    }

    private static String untagged(String alias) {
        return alias.substring(alias.indexOf('/') + 1);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation generation = of(alias);
        return generation == null ? null : generation.keys().getPrivateKey(untagged(alias));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation generation = of(alias);
        return generation == null ? null : generation.keys().getCertificateChain(untagged(alias));
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return tagged(keys -> keys.getClientAliases(keyType, issuers));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return tagged(keys -> keys.getServerAliases(keyType, issuers));
    }

    private String[] tagged(Function<X509KeyManager, String[]> aliases) {
        Generation now = current;
        String[] found = aliases.apply(now.keys());
        return found == null ? null : Arrays.stream(found).map(now::tag).toArray(String[]::new);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        Generation now = current;
        return now.tag(now.keys().chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        Generation now = current;
        return now.tag(now.keys() instanceof X509ExtendedKeyManager extended
                ? extended.chooseEngineClientAlias(keyType, issuers, engine)
                : now.keys().chooseClientAlias(keyType, issuers, null));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation now = current;
        return now.tag(now.keys().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation now = current;
        return now.tag(now.keys() instanceof X509ExtendedKeyManager extended
                ? extended.chooseEngineServerAlias(keyType, issuers, engine)
                : now.keys().chooseServerAlias(keyType, issuers, null));
    }
}
