package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.zip.ZipException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

/** How a failed decoding is told to the caller. */
class ImageDecoderFailuresTest {

    @Test
    void outOfMemoryWrappedByThePngReaderIsResourceExhaustedNotABadImage() {
        // what ImageIO's PNG reader throws when the image its header claims does not fit in the heap
        ServingException failure = ImageDecoder.failure(
                new IIOException("Caught exception during read: ", new OutOfMemoryError("Java heap space")));

        assertThat(failure.status()).isEqualTo(StatusCode.OUT_OF_MEMORY);
        assertThat(failure.getMessage()).isEqualTo("out of memory decoding an image: Java heap space");
    }

    @Test
    void aReadersReasonCarriesItsCause() {
        ServingException failure = ImageDecoder.failure(
                new IIOException("Error reading PNG image data", new ZipException("invalid distance too far back")));

        assertThat(failure.status()).isEqualTo(StatusCode.IMAGE_PARSING_FAILED);
        assertThat(failure.getMessage())
                .isEqualTo("image could not be decoded: Error reading PNG image data (invalid distance too far back)");
    }
}
