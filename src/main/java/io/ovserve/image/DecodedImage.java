package io.ovserve.image;

/** Pixels as OpenCV hands them to a model: rows of BGR bytes (HWC), values 0-255. */
public record DecodedImage(int width, int height, byte[] bgr) {
}
