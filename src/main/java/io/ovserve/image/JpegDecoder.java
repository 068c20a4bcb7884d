package io.ovserve.image;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * JPEG files to BGR pixels with libjpeg-turbo, resized as OpenCV resizes (what OVMS does), in one
 * native call. The header is read first so that the pixel limit is checked before anything is
 * allocated; the scan limit and the caller's deadline are checked as libjpeg reads, so that no file
 * holds a decoding thread for longer than either allows.
 */
final class JpegDecoder {

    private static final int MESSAGE_SIZE = 256;

    private final long maxPixels;
    private final int maxScans;

    /** @param maxScans the most scans a progressive JPEG may have, 0 for no limit */
    JpegDecoder(long maxPixels, int maxScans) {
        this.maxPixels = maxPixels;
        this.maxScans = maxScans;
    }

    /** JPEG's start-of-image marker followed by another marker. */
    static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff;
    }

    /**
     * @param width    target width, or 0 to keep the image's own
     * @param height   target height, or 0 to keep the image's own
     * @param deadline when the caller stops waiting, as a {@link System#nanoTime()} value; empty for never
     */
    DecodedImage decode(byte[] jpeg, int width, int height, OptionalLong deadline) {
        byte[] message = new byte[MESSAGE_SIZE];
        int[] dimensions = new int[2];
        check(LibJpegTurbo.ovserve_jpeg_dimensions(jpeg, jpeg.length, dimensions, message, MESSAGE_SIZE), message);
        ImageDecoder.checkPixels(dimensions[0], dimensions[1], maxPixels);
        int targetWidth = width > 0 ? width : dimensions[0];
        int targetHeight = height > 0 ? height : dimensions[1];
        byte[] bgr = new byte[Math.multiplyExact(Math.multiplyExact(targetWidth, targetHeight), 3)];
        // at least 1: a deadline that passes now stops the decoding at libjpeg's first check
        long budget = deadline.isPresent() ? Math.max(1, deadline.getAsLong() - System.nanoTime()) : Long.MAX_VALUE;
        check(LibJpegTurbo.ovserve_jpeg_decode_bgr(jpeg, jpeg.length, bgr, targetWidth, targetHeight, maxScans,
                budget, message, MESSAGE_SIZE), message);
        return new DecodedImage(targetWidth, targetHeight, bgr);
    }

    private static void check(int result, byte[] message) {
        if (result == 0) {
            return;
        }
        int length = 0;
        while (length < message.length && message[length] != 0) {
            length++;
        }
        String reason = new String(message, 0, length, StandardCharsets.US_ASCII).strip();
        throw switch (result) {
            case LibJpegTurbo.NO_MEMORY -> new ServingException(StatusCode.OUT_OF_MEMORY,
                    "out of memory decoding an image: " + reason);
            case LibJpegTurbo.DAMAGED -> new ServingException(StatusCode.IMAGE_PARSING_FAILED,
                    "image is damaged: " + reason);
            case LibJpegTurbo.TOO_MANY_SCANS -> new ServingException(StatusCode.IMAGE_PARSING_FAILED,
                    "image could not be decoded: " + reason + " (ovserve.jpeg-max-scans)");
            case LibJpegTurbo.DEADLINE -> ImageDecoder.deadlinePassed(reason);
            default -> new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image could not be decoded: " + reason);
        };
    }
}
