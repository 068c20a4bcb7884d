package io.ovserve.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (never checked in), written as PEM files as a Kubernetes TLS secret holds them:
 * a CA's {@code ca.crt}, and for each certificate it issues {@code <name>.crt} and {@code <name>.key} (PKCS#8).
 * EC P-256 keys: quick to generate.
 */
public final class TestCertificates {

    /** Of the in-memory key store only: PKCS#12 keys with an empty password are not handed to the key manager. */
    private static final char[] PASSWORD = "in-memory".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A certificate and its key, as files. */
    public record Issued(Path cert, Path key) {
    }

    /** A certificate authority that issues certificates into one directory. */
    public static final class Authority {

        private final Path directory;
        private final X500Name name;
        private final KeyPair keys;
        private final Path cert;

        private Authority(Path directory, String commonName) {
            this.directory = directory;
            this.name = new X500Name("CN=" + commonName);
            this.keys = keyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                    keys.getPublic());
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.cert = write(directory.resolve(commonName + ".crt"), pem("CERTIFICATE", sign(builder, keys)));
        }

        /** The CA bundle clients and servers trust: this CA's certificate. */
        public Path cert() {
            return cert;
        }

        /**
         * A certificate valid now, for a day, with these DNS / IP subject alternative names, in {@code <file>.crt}
         * and {@code <file>.key}.
         */
        public Issued issue(String file, String commonName, List<String> dnsNames, List<String> ipAddresses) {
            Instant now = Instant.now();
            return issue(file, commonName, dnsNames, ipAddresses, now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(1)));
        }

        /** As {@link #issue}, a certificate that expired an hour ago. */
        public Issued issueExpired(String file, String commonName, List<String> dnsNames, List<String> ipAddresses) {
            Instant now = Instant.now();
            return issue(file, commonName, dnsNames, ipAddresses, now.minus(Duration.ofDays(2)),
                    now.minus(Duration.ofHours(1)));
        }

        private Issued issue(String file, String commonName, List<String> dnsNames, List<String> ipAddresses,
                Instant notBefore, Instant notAfter) {
            KeyPair holder = keyPair();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + commonName), holder.getPublic());
            List<GeneralName> alternatives = new ArrayList<>();
            dnsNames.forEach(dns -> alternatives.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> alternatives.add(new GeneralName(GeneralName.iPAddress, ip)));
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                if (!alternatives.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(alternatives.toArray(GeneralName[]::new)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Issued(write(directory.resolve(file + ".crt"), pem("CERTIFICATE", sign(builder, keys))),
                    write(directory.resolve(file + ".key"), pem("PRIVATE KEY", holder.getPrivate().getEncoded())));
        }
    }

    private TestCertificates() {
    }

    /** A new CA named {@code commonName}, its files in {@code directory}. */
    public static Authority authority(Path directory, String commonName) {
        return new Authority(directory, commonName);
    }

    /** A JDK TLS context trusting the CAs of the bundle {@code ca}, presenting {@code client} when not null. */
    public static SSLContext sslContext(Path ca, Issued client) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(ca)) {
                int n = 0;
                for (Certificate each : x509.generateCertificates(in)) { // a bundle may hold several
                    trusted.setCertificateEntry("ca-" + n++, each);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            if (client != null) {
                String pem = Files.readString(client.key()).replaceAll("-----[A-Z ]+-----|\\s", "");
                PrivateKey key = KeyFactory.getInstance("EC")
                        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
                try (InputStream in = Files.newInputStream(client.cert())) {
                    own.setKeyEntry("client", key, PASSWORD, new Certificate[] {x509.generateCertificate(in)});
                }
            }
            keys.init(own, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(X509v3CertificateBuilder builder, KeyPair issuer) {
        try {
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
            return certificate.getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
