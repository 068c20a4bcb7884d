package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.Images;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pixels are the very bytes OpenCV gives (what OVMS hands its models): compared with digests that
 * opencv-python 5.0 computed from the same file. libjpeg-turbo also gives the pixels libjpeg gives
 * (ImageIO's libjpeg 6b, same IDCT and upsampling), and the resize is OpenCV's INTER_LINEAR, which
 * Java2D's bilinear drawImage matches to a fraction of a level: both are compared with ImageIO on
 * random noise, where any other filter (nearest, area, an offset of half a pixel, swapped channels)
 * is tens of levels off.
 */
class JpegDecoderTest {

    private static final byte[] NOISE = Images.noise("jpg", 250, 190);
    private static final String NOISE_DIGEST = "a7196ce1ad9acd6659ce25ca808440a429b9eb7e76d4c877ca0787e169844001";

    /**
     * SHA-256 of {@code cv2.imdecode(NOISE, cv2.IMREAD_COLOR)}, resized with
     * {@code cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)} unless the size is the
     * image's own (opencv-python 5.0.0): shrinking, enlarging, each axis its own way, down to one pixel.
     */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({
        "250, 190, c8cbc8353b34031b023fef28482f207b2d86d0761d23c445570718ac075b48ce",
        "224, 224, e4c532a6da9c1e1df9cd91f03c56e63a96c394b6cc2b3ba47824747321614534",
        "112, 97, 5dd8cd57584a0189dced407a1c84bbfd8fb37a21f129ff1bf71df0624e31015e",
        "401, 300, 89fd3671902f1471be848b561a7f558a0f00a86efcebd594ed67a3a593383729",
        "1, 1, 151ec5aae5d2e32a83d887af6d878bea8bae0ab4f4df951f50c97348d1a1a0bc",
    })
    void decodesAndResizesToTheBytesOpenCvGives(int width, int height, String openCvDigest) throws Exception {
        assertThat(sha256(NOISE)).as("the test image OpenCV's digests were computed from (the JDK's JPEG encoder)")
                .isEqualTo(NOISE_DIGEST);

        DecodedImage decoded = JpegDecoder.decode(NOISE, width, height, 1 << 20);

        assertThat(sha256(decoded.bgr())).isEqualTo(openCvDigest);
    }

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

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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
