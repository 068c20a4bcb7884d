package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A crafted progressive JPEG of many tiny scans costs CPU per scan for every block of the image: the
 * scan limit refuses it, and the caller's deadline stops whatever the limit lets through.
 */
class JpegDecoderLimitsTest {

    /** 4096x4096: 262,144 blocks walked per scan, 20,000 scans (812 KB): a minute and more of one core. */
    static final byte[] SLOW = ManyScanJpeg.grey(4096, 4096, 20_000);

    @Test
    void aProgressiveJpegOfMoreScansThanTheLimitIsRefusedNamingTheLimit() {
        ServingException refused = catchThrowableOfType(
                () -> new JpegDecoder(1 << 20, 100).decode(ManyScanJpeg.grey(64, 64, 101), 0, 0, OptionalLong.empty()),
                ServingException.class);

        assertThat(refused.status()).isEqualTo(StatusCode.IMAGE_PARSING_FAILED);
        assertThat(refused.getMessage()).isEqualTo("image could not be decoded: progressive JPEG with more than 100"
                + " scans, the limit (ovserve.jpeg-max-scans)");
    }

    @Test
    void aProgressiveJpegOfAsManyScansAsTheLimitIsDecoded() {
        DecodedImage decoded = new JpegDecoder(1 << 20, 100).decode(ManyScanJpeg.grey(64, 64, 100), 0, 0,
                OptionalLong.empty());

        assertThat(decoded.bgr()).hasSize(64 * 64 * 3).containsOnly((byte) 128);
    }

    @Test
    void aDecodingStopsBetweenScansOnceTheDeadlinePasses() {
        JpegDecoder unlimitedScans = new JpegDecoder(1 << 24, 0);
        long start = System.nanoTime();

        ServingException stopped = catchThrowableOfType(() -> unlimitedScans.decode(SLOW, 224, 224,
                OptionalLong.of(start + TimeUnit.MILLISECONDS.toNanos(100))), ServingException.class);

        assertThat(stopped.status()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
        assertThat(stopped.getMessage()).startsWith("the deadline passed before the image was decoded (decoding"
                + " stopped in scan ");
        assertThat(System.nanoTime() - start).as("a bound far below the minute the whole file takes")
                .isLessThan(TimeUnit.SECONDS.toNanos(30));
    }
}
