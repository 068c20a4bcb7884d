package io.ovserve.image;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A crafted progressive JPEG: grey, every block empty, made of one DC scan and then the same AC scan
 * over and over, each a few bytes (EOB runs of up to 32,767 empty blocks) that libjpeg still walks
 * block by block. libjpeg reads it without a warning; it decodes to mid-grey (128).
 */
final class ManyScanJpeg {

    private static final int MAX_EOB_RUN = 32_767;

    private ManyScanJpeg() {
    }

    static byte[] grey(int width, int height, int scans) {
        int blocks = ((width + 7) / 8) * ((height + 7) / 8);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        jpeg.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8});
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 1);
        segment(jpeg, 0xdb, concat(new byte[] {0}, ones)); // quantization table 0, all ones
        segment(jpeg, 0xc2, new byte[] {8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width,
            1, 1, 0x11, 0}); // progressive frame, one component
        // DC table 0: one code ("0") for difference category 0
        segment(jpeg, 0xc4, concat(new byte[] {0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, new byte[] {0}));
        // AC table 0: EOB runs EOB0..EOB14 (symbols 0x00..0xE0), four-bit codes
        byte[] runs = new byte[15];
        for (int r = 0; r < runs.length; r++) {
            runs[r] = (byte) (r << 4);
        }
        segment(jpeg, 0xc4, concat(new byte[] {0x10, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, runs));
        segment(jpeg, 0xda, new byte[] {1, 1, 0x00, 0, 0, 0}); // DC first scan: every difference 0
        Bits dc = new Bits();
        for (int block = 0; block < blocks; block++) {
            dc.put(0, 1);
        }
        jpeg.writeBytes(dc.end());
        Bits ac = new Bits();
        for (int left = blocks; left > 0; left -= MAX_EOB_RUN) {
            int run = Math.min(left, MAX_EOB_RUN);
            int r = 31 - Integer.numberOfLeadingZeros(run);
            ac.put(r, 4);
            ac.put(run - (1 << r), r);
        }
        ByteArrayOutputStream scan = new ByteArrayOutputStream();
        segment(scan, 0xda, new byte[] {1, 1, 0x00, 1, 63, 0}); // AC first scan, coefficients 1-63
        scan.writeBytes(ac.end());
        byte[] acScan = scan.toByteArray();
        for (int i = 1; i < scans; i++) {
            jpeg.writeBytes(acScan);
        }
        jpeg.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
        return jpeg.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        int length = payload.length + 2;
        out.writeBytes(new byte[] {(byte) 0xff, (byte) marker, (byte) (length >> 8), (byte) length});
        out.writeBytes(payload);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Entropy-coded bits, most significant first, with 0xFF stuffed and the last byte padded with ones. */
    private static final class Bits {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int pending;
        private int count;

        void put(int value, int length) {
            for (int bit = length - 1; bit >= 0; bit--) {
                pending = (pending << 1) | ((value >> bit) & 1);
                if (++count == 8) {
                    bytes.write(pending);
                    if (pending == 0xff) {
                        bytes.write(0);
                    }
                    pending = 0;
                    count = 0;
                }
            }
        }

        byte[] end() {
            if (count > 0) {
                put((1 << (8 - count)) - 1, 8 - count);
            }
            return bytes.toByteArray();
        }
    }
}
