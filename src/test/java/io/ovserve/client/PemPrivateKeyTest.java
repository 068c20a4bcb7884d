package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.junit.jupiter.api.Test;

/** Keys as openssl and cert-manager write them, read as the JDK reads PKCS#8. */
class PemPrivateKeyTest {

    @Test
    void aPkcs8KeyIsReadAsItIs() throws Exception {
        KeyPair rsa = keyPair("RSA");

        assertThat(PemPrivateKey.read(pem("PRIVATE KEY", rsa.getPrivate().getEncoded())))
                .isEqualTo(rsa.getPrivate());
    }

    @Test
    void anRsaKeyInPkcs1IsTheSameKey() throws Exception {
        PrivateKey key = keyPair("RSA").getPrivate();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();

        assertThat(PemPrivateKey.read(pem("RSA PRIVATE KEY", pkcs1))).isEqualTo(key);
    }

    @Test
    void anEcKeyInSec1NamingItsCurveIsTheSameKey() throws Exception {
        KeyPair ec = keyPair("EC");
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        // as openssl writes it: the curve in [0], whatever the PKCS#8 form carried inside
        byte[] sec1 = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters())
                .getEncoded();

        PrivateKey read = PemPrivateKey.read(pem("EC PRIVATE KEY", sec1));

        assertThat(read.getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPrivateKey) read).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS());
        assertThat(((java.security.interfaces.ECPrivateKey) read).getParams().getCurve())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getParams().getCurve());
    }

    @Test
    void anEcKeyThatDoesNotNameItsCurveIsRefusedSayingSo() throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keyPair("EC").getPrivate().getEncoded());
        byte[] withoutCurve = new ECPrivateKey(256, ECPrivateKey.getInstance(info.parsePrivateKey()).getKey())
                .getEncoded();

        assertThatThrownBy(() -> PemPrivateKey.read(pem("EC PRIVATE KEY", withoutCurve)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not name its curve");
    }

    @Test
    void garbageUnderAKnownHeaderIsRefusedNotThrownAsAnotherError() {
        byte[] garbage = "not DER at all".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PemPrivateKey.read(pem("EC PRIVATE KEY", garbage)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PemPrivateKey.read(pem("RSA PRIVATE KEY", garbage)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileWithoutAKeyNamesTheFormsTaken() {
        assertThatThrownBy(() -> PemPrivateKey.read(pem("CERTIFICATE", new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEGIN RSA PRIVATE KEY");
    }

    private static KeyPair keyPair(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    private static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
