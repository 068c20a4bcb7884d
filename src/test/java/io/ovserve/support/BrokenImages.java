package io.ovserve.support;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** Image files damaged on purpose: cut off, overwritten, or with a header that lies about their size. */
public final class BrokenImages {

    private BrokenImages() {
    }

    /** The first half of a real file: its header is whole, its pixel data stops midway. */
    public static byte[] firstHalf(byte[] file) {
        return Arrays.copyOf(file, file.length / 2);
    }

    /** A JPEG whose start-of-image marker is intact and everything after it is 0x55. */
    public static byte[] jpegWithGarbageAfterTheMarker() {
        byte[] jpeg = Images.solid("jpg", 8, 8, Color.ORANGE);
        Arrays.fill(jpeg, 2, jpeg.length, (byte) 0x55);
        return jpeg;
    }

    /**
     * A well-formed PNG (IHDR, IDAT, IEND) claiming width x height 8-bit RGB pixels whose IDAT holds
     * only 10 bytes of them: a reader that allocates the image before reading the data allocates it all.
     */
    public static byte[] pngWithTinyData(int width, int height) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
            deflate.write(new byte[10]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        png.writeBytes(chunk("IHDR", header.array()));
        png.writeBytes(chunk("IDAT", compressed.toByteArray()));
        png.writeBytes(chunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeAndData = ByteBuffer.allocate(4 + data.length).put(type.getBytes(StandardCharsets.US_ASCII))
                .put(data).array();
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        return ByteBuffer.allocate(4 + typeAndData.length + 4).putInt(data.length).put(typeAndData)
                .putInt((int) crc.getValue()).array();
    }

    /** A real 8x8 JPEG whose frame header (SOF0) is edited to claim width x height pixels. */
    public static byte[] jpegClaiming(int width, int height) {
        byte[] jpeg = Images.solid("jpg", 8, 8, Color.ORANGE);
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                // FF C0, length (2), precision (1), height (2), width (2)
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 marker in the JPEG ImageIO wrote");
    }
}
