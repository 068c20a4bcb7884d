package io.ovserve.tls;

import io.ovserve.support.TestCertificates;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link MutualTlsResource}'s certificates, by file name, so the test (in another class loader than the resource)
 * finds them in the directory: the CA bundle, a client on the allow-list, one signed by the same CA but not on it,
 * and one on it by name but signed by another CA.
 */
record MutualTlsFiles(Path ca, TestCertificates.Issued allowed, TestCertificates.Issued stranger,
        TestCertificates.Issued foreign) {

    static void write(Path dir, TestCertificates.Authority ca) {
        ca.issue("allowed", "allowed-client", List.of(), List.of());
        ca.issue("stranger", "stranger-client", List.of(), List.of());
        TestCertificates.authority(dir, "other-ca").issue("foreign", "allowed-client", List.of(), List.of());
    }

    static MutualTlsFiles read(Path dir) {
        return new MutualTlsFiles(dir.resolve("ovserve-ca.crt"), named(dir, "allowed"), named(dir, "stranger"),
                named(dir, "foreign"));
    }

    private static TestCertificates.Issued named(Path dir, String file) {
        return new TestCertificates.Issued(dir.resolve(file + ".crt"), dir.resolve(file + ".key"));
    }
}
