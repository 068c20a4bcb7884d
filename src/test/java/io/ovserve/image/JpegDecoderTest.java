package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.Images;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;
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
 * is tens of levels off. 4-component (CMYK, YCCK) files and files libjpeg warns about are compared
 * with digests opencv-python 5.1.0 computed (src/test/resources/jpeg: the files, their generator and
 * the script that printed the digests).
 */
class JpegDecoderTest {

    private static final JpegDecoder JPEG = new JpegDecoder(1 << 20, 100);
    private static final OptionalLong NO_DEADLINE = OptionalLong.empty();
    private static final byte[] NOISE = Images.noise("jpg", 250, 190);
    private static final String NOISE_DIGEST = "a7196ce1ad9acd6659ce25ca808440a429b9eb7e76d4c877ca0787e169844001";
    /** SHA-256 of {@code cv2.imdecode(NOISE, cv2.IMREAD_COLOR)}. */
    private static final String NOISE_PIXELS_DIGEST = "c8cbc8353b34031b023fef28482f207b2d86d0761d23c445570718ac075b48ce";

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

        DecodedImage decoded = JPEG.decode(NOISE, width, height, NO_DEADLINE);

        assertThat(sha256(decoded.bgr())).isEqualTo(openCvDigest);
    }

    /**
     * SHA-256 of {@code cv2.imdecode(file, cv2.IMREAD_COLOR)} (OpenCV takes a 4-component JPEG as
     * Adobe's inverted CMYK and converts it to BGR), resized as above unless 61x45 (opencv-python 5.1.0,
     * src/test/resources/jpeg/opencv-digests.py).
     */
    @ParameterizedTest(name = "{0} to {1}x{2}")
    @CsvSource({
        "cmyk.jpg, 61, 45, 4ac5219a5bc65e236334640fb95c8a7842c376226b643890d49bdc832dd8e191",
        "cmyk.jpg, 224, 224, 2c4595d48b4951bb24d4e4778169a3b2e52aafafcfbb5f83143539d5302abdde",
        "cmyk.jpg, 30, 20, d74ce3fa65158bc9c14c78046d28f8b8e3f0432b021f9c7381e9668f8b0d1d89",
        "ycck.jpg, 61, 45, 2ec48af2e81782f2899b324db4f390880e80a65879373e567126c60705f83b64",
        "ycck.jpg, 224, 224, 541de89da640fe3049161cfd94799913bd6a6bedc4e73ea9402cf8cea343e844",
        "ycck.jpg, 30, 20, 9cf87b4bee08cb409c97a6a197c2aaf1438d23263f03df93431cd67f875a72b9",
    })
    void decodesCmykAndYcckToTheBgrBytesOpenCvGives(String file, int width, int height, String openCvDigest)
            throws Exception {
        DecodedImage decoded = JPEG.decode(resource(file), width, height, NO_DEADLINE);

        assertThat(sha256(decoded.bgr())).isEqualTo(openCvDigest);
    }

    @Test
    void extraneousBytesBeforeAMarkerAreSkippedAsOpenCvSkipsThem() throws Exception {
        int quantizationTable = indexOf(NOISE, 0xdb); // libjpeg warns "3 extraneous bytes before marker 0xdb"
        byte[] withGarbage = new byte[NOISE.length + 3];
        System.arraycopy(NOISE, 0, withGarbage, 0, quantizationTable);
        withGarbage[quantizationTable] = 1;
        withGarbage[quantizationTable + 1] = 2;
        withGarbage[quantizationTable + 2] = 3;
        System.arraycopy(NOISE, quantizationTable, withGarbage, quantizationTable + 3, NOISE.length - quantizationTable);

        DecodedImage decoded = JPEG.decode(withGarbage, 0, 0, NO_DEADLINE);

        assertThat(sha256(decoded.bgr())).as("OpenCV decodes it to the pixels of the file without the garbage")
                .isEqualTo(NOISE_PIXELS_DIGEST);
    }

    @Test
    void bytesBetweenTheLastScanAndTheEndMarkerAreIgnoredAsOpenCvIgnoresThem() throws Exception {
        // libjpeg warns "15 extraneous bytes before marker 0xd9" (its entropy decoder read one ahead)
        byte[] padded = Arrays.copyOf(NOISE, NOISE.length + 16); // the end marker moved 16 zero bytes on
        padded[NOISE.length - 2] = 0;
        padded[NOISE.length - 1] = 0;
        padded[padded.length - 2] = (byte) 0xff;
        padded[padded.length - 1] = (byte) 0xd9;

        DecodedImage decoded = JPEG.decode(padded, 0, 0, NO_DEADLINE);

        assertThat(sha256(decoded.bgr())).isEqualTo(NOISE_PIXELS_DIGEST);
    }

    @Test
    void decodesToTheBgrBytesLibjpegDecodesTo() throws IOException {
        DecodedImage decoded = JPEG.decode(NOISE, 0, 0, NO_DEADLINE);

        byte[] expected = imageIo(250, 190);
        assertThat(decoded.width()).isEqualTo(250);
        assertThat(decoded.height()).isEqualTo(190);
        assertThat(maxDifference(decoded.bgr(), expected)).isLessThanOrEqualTo(1);
    }

    @Test
    void resizesAsABilinearFilterWithHalfPixelCentres() throws IOException {
        DecodedImage decoded = JPEG.decode(NOISE, 112, 97, NO_DEADLINE);

        byte[] expected = imageIo(112, 97);
        assertThat(decoded.bgr()).hasSize(112 * 97 * 3);
        assertThat(meanDifference(decoded.bgr(), expected)).isLessThan(0.5);
    }

    @Test
    void enlargesAsABilinearFilterToo() throws IOException {
        DecodedImage decoded = JPEG.decode(NOISE, 401, 300, NO_DEADLINE);

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

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = JpegDecoderTest.class.getResourceAsStream("/jpeg/" + file)) {
            return in.readAllBytes();
        }
    }

    /** Where the marker FF {@code code} first starts. */
    private static int indexOf(byte[] jpeg, int code) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == code) {
                return i;
            }
        }
        throw new IllegalArgumentException("no marker FF " + Integer.toHexString(code));
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
