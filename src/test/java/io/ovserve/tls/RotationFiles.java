package io.ovserve.tls;

import io.ovserve.support.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

/** {@link RotationResource}'s files, by name, and the volumes the server reads. */
record RotationFiles(Path dir) {

    static final String CA = "rotation-ca";
    static final String NEXT_CA = "next-ca";

    static RotationFiles read(Path dir) {
        return new RotationFiles(dir);
    }

    Path ca() {
        return dir.resolve(CA + ".crt");
    }

    Path nextCa() {
        return dir.resolve(NEXT_CA + ".crt");
    }

    Path bothCas() {
        return dir.resolve("both-cas.crt");
    }

    TestCertificates.Issued issued(String name) {
        return new TestCertificates.Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    /** A TLS secret's files: {@code tls.crt} and {@code tls.key} from this certificate. */
    Map<String, Path> serverFiles(String name) {
        TestCertificates.Issued issued = issued(name);
        return Map.of("tls.crt", issued.cert(), "tls.key", issued.key());
    }

    SecretVolume serverVolume() {
        return SecretVolume.at(dir.resolve("server-tls"));
    }

    SecretVolume clientCaVolume() {
        return SecretVolume.at(dir.resolve("client-ca"));
    }

    static BigInteger serial(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
