package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.Images;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * libjpeg-turbo gives the pixels libjpeg gives (ImageIO's libjpeg 6b, same IDCT and upsampling), and
 * the resize is OpenCV's INTER_LINEAR, which Java2D's bilinear drawImage matches to a fraction of a
 * level on photos: both are compared with ImageIO on random noise, where any other filter (nearest,
 * area, an offset of half a pixel, swapped channels) is tens of levels off.
 */
class JpegDecoderTest {

    private static final byte[] NOISE = Images.noise("jpg", 250, 190);

    @Test
    void decodesToTheBgrBytesLibjpegDecodesTo() throws IOException {
        DecodedImage decoded = JpegDecoder.decode(NOISE, 0, 0, 1 << 20);

        byte[] expected = imageIo(250, 190);
        assertThat(decoded.width()).isEqualTo(250);
        assertThat(decoded.height()).isEqualTo(190);
        assertThat(maxDifference(decoded.bgr(), expected)).isLessThanOrEqualTo(1);
    }

    @Test
    void resizesAsABilinearFilterWithHalfPixelCentres() throws IOException {
        DecodedImage decoded = JpegDecoder.decode(NOISE, 112, 97, 1 << 20);

        byte[] expected = imageIo(112, 97);
        assertThat(decoded.bgr()).hasSize(112 * 97 * 3);
        assertThat(meanDifference(decoded.bgr(), expected)).isLessThan(0.5);
    }

    @Test
    void enlargesAsABilinearFilterToo() throws IOException {
        DecodedImage decoded = JpegDecoder.decode(NOISE, 401, 300, 1 << 20);

        assertThat(meanDifference(decoded.bgr(), imageIo(401, 300))).isLessThan(0.5);
    }

    private static byte[] imageIo(int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(NOISE));
        BufferedImage bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = bgr.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    }

    private static int maxDifference(byte[] actual, byte[] expected) {
        int max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs((actual[i] & 0xff) - (expected[i] & 0xff)));
        }
        return max;
    }

    private static double meanDifference(byte[] actual, byte[] expected) {
        long sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs((actual[i] & 0xff) - (expected[i] & 0xff));
        }
        return (double) sum / actual.length;
    }
}
