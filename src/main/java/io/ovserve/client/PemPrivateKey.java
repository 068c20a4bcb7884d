package io.ovserve.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A private key from PEM as Kubernetes secrets hold them: PKCS#8 ({@code BEGIN PRIVATE KEY}, cert-manager's
 * {@code encoding: PKCS8}), or the traditional forms openssl and cert-manager's default write, RSA's PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) and EC's SEC1 ({@code BEGIN EC PRIVATE KEY}). The JDK reads only PKCS#8, so a
 * traditional key is wrapped in the PKCS#8 structure that names its algorithm (and, for EC, the curve the key
 * names), as openssl's {@code pkcs8 -topk8} would write it.
 */
final class PemPrivateKey {

    private static final List<String> PKCS8_ALGORITHMS = List.of("EC", "RSA", "EdDSA", "RSASSA-PSS");
    private static final byte[] RSA_ENCRYPTION = HexFormat.of().parseHex("06092a864886f70d0101010500"); // OID, NULL
    private static final byte[] EC_PUBLIC_KEY = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private PemPrivateKey() {
    }

    static PrivateKey read(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        for (String type : List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY")) {
            String begin = "-----BEGIN " + type + "-----";
            int start = text.indexOf(begin);
            int end = text.indexOf("-----END " + type + "-----");
            if (start >= 0 && end > start) {
                byte[] der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
                return switch (type) {
                    case "RSA PRIVATE KEY" -> generate("RSA", pkcs8(RSA_ENCRYPTION, der));
                    case "EC PRIVATE KEY" -> generate("EC", pkcs8(concat(EC_PUBLIC_KEY, namedCurve(der)), der));
                    default -> pkcs8(der);
                };
            }
        }
        throw new IllegalArgumentException(
                "the key must be PEM: PKCS#8 (BEGIN PRIVATE KEY), RSA (BEGIN RSA PRIVATE KEY) or EC (BEGIN EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException("the key is not an EC, RSA or EdDSA PKCS#8 key");
    }

    private static PrivateKey generate(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + algorithm + " key is not valid: " + e.getMessage(), e);
        }
    }

    /** PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier SEQUENCE { algorithm }, OCTET STRING { key } }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(VERSION_0, tlv(0x30, algorithm), tlv(0x04, key)));
    }

    /**
     * The curve OID of a SEC1 ECPrivateKey, SEQUENCE { INTEGER 1, OCTET STRING, [0] { OID } OPTIONAL, ... }: openssl
     * always writes it; without it the key does not say its curve.
     */
    private static byte[] namedCurve(byte[] sec1) {
        Der sequence = Der.at(sec1, 0, 0x30);
        Der version = Der.at(sec1, sequence.content(), 0x02);
        Der privateKey = Der.at(sec1, version.end(), 0x04);
        if (privateKey.end() < sequence.end() && (sec1[privateKey.end()] & 0xff) == 0xa0) {
            Der parameters = Der.at(sec1, privateKey.end(), 0xa0);
            Der oid = Der.at(sec1, parameters.content(), 0x06);
            byte[] encoded = new byte[oid.end() - parameters.content()];
            System.arraycopy(sec1, parameters.content(), encoded, 0, encoded.length);
            return encoded;
        }
        throw new IllegalArgumentException("the EC key does not name its curve (SEC1 without parameters)");
    }

    /** One DER element: where its content starts and where it ends. */
    private record Der(int content, int end) {

        static Der at(byte[] der, int offset, int tag) {
            if (offset + 2 > der.length || (der[offset] & 0xff) != tag) {
                throw new IllegalArgumentException("the key is not DER as its PEM type says");
            }
            int length = der[offset + 1] & 0xff;
            int content = offset + 2;
            if (length > 0x80 && length <= 0x83) {
                int bytes = length - 0x80;
                length = 0;
                for (int i = 0; i < bytes && content < der.length; i++) {
                    length = (length << 8) | (der[content++] & 0xff);
                }
            } else if (length >= 0x80) {
                throw new IllegalArgumentException("the key is not DER as its PEM type says");
            }
            if (content + length > der.length) {
                throw new IllegalArgumentException("the key is truncated");
            }
            return new Der(content, content + length);
        }
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
