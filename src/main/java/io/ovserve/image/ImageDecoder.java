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
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG files into BGR pixels, optionally resized (bilinear) to a model's spatial
 * size. The header is read first so an image claiming more than {@code maxPixels} is refused before
 * anything is allocated; a truncated file is an error, not a half-grey picture.
 */
public final class ImageDecoder {

    static {
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * @param width  target width, or 0 to keep the image's own
     * @param height target height, or 0 to keep the image's own
     */
    public DecodedImage decode(ByteBuffer encoded, int width, int height) {
        byte[] bytes = new byte[encoded.remaining()];
        encoded.duplicate().get(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            try {
                BufferedImage image = read(reader, in);
                return toBgr(image, width > 0 ? width : image.getWidth(), height > 0 ? height : image.getHeight());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServingException serving) {
                throw serving;
            }
            throw new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image could not be decoded: " + e.getMessage());
        }
    }

    private static ImageReader readerFor(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image is neither JPEG nor PNG");
        }
        return readers.next();
    }

    private BufferedImage read(ImageReader reader, ImageInputStream in) throws IOException {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
            throw new ServingException(StatusCode.IMAGE_TOO_LARGE, "image of " + reader.getWidth(0) + "x"
                    + reader.getHeight(0) + " pixels exceeds the limit of " + maxPixels + " pixels");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
            throw new ServingException(StatusCode.IMAGE_PARSING_FAILED, "image is damaged: " + warnings.get(0));
        }
        return image;
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
