package io.ovserve.image;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JNI over {@code src/main/native/ovserve_jpeg.h}: libjpeg-turbo decoding and OpenCV's bilinear resize.
 * The build links Debian's libjpeg-turbo (libjpeg62-turbo-dev) and copies its library into the jar, so
 * the server needs nothing installed. Arrays cross JNI as copies: a compressed image and a model-sized
 * result are small next to the decoding itself.
 */
@Properties(value = @Platform(
        value = "linux-x86_64",
        compiler = "cpp11",
        include = "ovserve_jpeg.h",
        link = "jpeg@.62",
        linkpath = "/usr/lib/x86_64-linux-gnu/"))
public final class LibJpegTurbo {

    static {
        Loader.load();
    }

    static final int BAD_DATA = -1;
    static final int NO_MEMORY = -2;
    static final int DAMAGED = -3;
    static final int TOO_MANY_SCANS = -4;
    static final int DEADLINE = -5;

    private LibJpegTurbo() {
    }

    /** Writes the width and height from the header into {@code dimensions}. */
    static native int ovserve_jpeg_dimensions(@Cast("const unsigned char*") byte[] data, @Cast("size_t") long size,
            int[] dimensions, @Cast("char*") byte[] message, @Cast("size_t") long messageSize);

    /**
     * Decodes into width x height BGR bytes, resized when the image has another size; refuses a
     * progressive JPEG of more than maxScans scans (0: no limit) and stops once budget nanoseconds
     * have passed ({@link Long#MAX_VALUE}: never).
     */
    static native int ovserve_jpeg_decode_bgr(@Cast("const unsigned char*") byte[] data, @Cast("size_t") long size,
            @Cast("unsigned char*") byte[] bgr, int width, int height, int maxScans, @Cast("long long") long budget,
            @Cast("char*") byte[] message, @Cast("size_t") long messageSize);
}
