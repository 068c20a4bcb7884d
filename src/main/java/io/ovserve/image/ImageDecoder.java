package io.ovserve.image;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG files into BGR pixels, optionally resized (bilinear) to a model's spatial
 * size. The header is read first so an image claiming more than {@code maxPixels} is refused before
 * anything is allocated; a truncated file is an error, not a half-grey picture. JPEG, the format
 * that is served at rate, goes to libjpeg-turbo ({@link JpegDecoder}), which also checks the scan
 * limit and the caller's deadline as it decodes; PNG to ImageIO.
 */
public final class ImageDecoder {

    static {
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }

    private static final Set<String> FORMATS = Set.of("jpeg", "png");

    private final long maxPixels;
    private final JpegDecoder jpeg;

    /** @param maxJpegScans the most scans a progressive JPEG may have, 0 for no limit */
    public ImageDecoder(long maxPixels, int maxJpegScans) {
        this.maxPixels = maxPixels;
        this.jpeg = new JpegDecoder(maxPixels, maxJpegScans);
    }

    /**
     * @param width    target width, or 0 to keep the image's own
     * @param height   target height, or 0 to keep the image's own
     * @param deadline when the caller stops waiting, as a {@link System#nanoTime()} value; empty for never
     */
    public DecodedImage decode(ByteBuffer encoded, int width, int height, OptionalLong deadline) {
        if (deadline.isPresent() && System.nanoTime() - deadline.getAsLong() >= 0) {
            throw deadlinePassed("its decoding had not started");
        }
        if (!encoded.hasRemaining()) {
            throw new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image is empty (0 bytes)");
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.duplicate().get(bytes);
        if (JpegDecoder.isJpeg(bytes)) {
            return jpeg.decode(bytes, width, height, deadline);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            try {
                BufferedImage image = read(reader, in);
                return toBgr(image, width > 0 ? width : image.getWidth(), height > 0 ? height : image.getHeight());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * What a failed decoding tells the caller: the reader's reason (and its cause's), or that memory
     * ran out. ImageIO's PNG reader wraps whatever it catches, an OutOfMemoryError too, in an
     * IIOException: that is the server's shortage, not a bad image.
     */
    static ServingException failure(Exception e) {
        if (e instanceof ServingException serving) {
            return serving;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                return new ServingException(StatusCode.OUT_OF_MEMORY,
                        "out of memory decoding an image: " + cause.getMessage());
            }
        }
        String reason = String.valueOf(e.getMessage()).strip();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().isBlank()) {
            reason += " (" + cause.getMessage().strip() + ")";
        }
        return new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image could not be decoded: " + reason);
    }

    /** A JPEG or PNG reader: the formats OVMS documents; ImageIO's others (BMP, GIF, TIFF, WBMP) are refused. */
    private static ImageReader readerFor(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        String other = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                return reader;
            }
            other = other == null ? reader.getFormatName() : other;
            reader.dispose();
        }
        throw new ServingException(StatusCode.IMAGE_PARSING_FAILED,
                "image is neither JPEG nor PNG" + (other == null ? "" : " (it is " + other + ")"));
    }

    private BufferedImage read(ImageReader reader, ImageInputStream in) throws IOException {
        reader.setInput(in, true, true);
        checkPixels(reader.getWidth(0), reader.getHeight(0), maxPixels);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
            throw new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image is damaged: " + warnings.get(0));
        }
        return image;
    }

    static ServingException deadlinePassed(String detail) {
        return new ServingException(StatusCode.DEADLINE_EXCEEDED, "the deadline passed before the image was decoded ("
                + detail + ")");
    }

    static void checkPixels(int width, int height, long maxPixels) {
        if ((long) width * height > maxPixels) {
            throw new ServingException(StatusCode.IMAGE_TOO_LARGE, "image of " + width + "x" + height
                    + " pixels exceeds the limit of " + maxPixels + " pixels");
        }
    }

    private static DecodedImage toBgr(BufferedImage image, int width, int height) {
        BufferedImage bgr = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || image.getWidth() != width
                || image.getHeight() != height) {
            bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D graphics = bgr.createGraphics();
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, width, height, null);
            graphics.dispose();
        }
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return new DecodedImage(width, height, pixels);
    }
}
