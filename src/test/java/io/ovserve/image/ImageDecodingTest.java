package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.support.Images;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ImageDecodingTest {

    private static final OptionalLong NO_DEADLINE = OptionalLong.empty();
    private static final byte[] GOOD = Images.noise("jpg", 40, 30);

    @Test
    void closingAnswersWaitingImagesUnavailableInsteadOfLeavingThemHanging() throws Exception {
        ImageDecoding decoding = new ImageDecoding(1 << 20, 100);
        int threads = Runtime.getRuntime().availableProcessors();
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Object>> busy = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            busy.add(decoding.decode(List.of(), 0, 0, NO_DEADLINE, images -> {
                started.countDown();
                return await(release);
            }));
        }
        assertThat(started.await(5, TimeUnit.SECONDS)).as("every decoding thread busy").isTrue();
        CompletableFuture<Object> waiting = decoding.decode(List.of(ByteBuffer.allocate(1)), 0, 0, NO_DEADLINE,
                images -> "never");

        decoding.close();
        release.countDown();

        try {
            waiting.get(5, TimeUnit.SECONDS);
            throw new AssertionError("a waiting image was decoded after close");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(StatusCode.MODEL_NOT_AVAILABLE));
        }
        for (CompletableFuture<Object> running : busy) {
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("released");
        }
    }

    @Test
    void aCorruptImageFailsItsCallAsImageParsingFailed() {
        try (ImageDecoding decoding = new ImageDecoding(1 << 20, 100)) {
            CompletableFuture<Object> call = decoding.decode(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})), 0, 0,
                    NO_DEADLINE, images -> "decoded");

            assertThat(call).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(ServingException.class,
                            error -> assertThat(error.status()).isEqualTo(StatusCode.IMAGE_PARSING_FAILED));
        }
    }

    @Test
    void aJpegOfTooManyScansFailsItsCallAndTheNextImageIsDecoded() {
        try (ImageDecoding decoding = new ImageDecoding(1 << 20, 100)) {
            CompletableFuture<List<DecodedImage>> crafted = decoding.decode(
                    List.of(ByteBuffer.wrap(ManyScanJpeg.grey(64, 64, 101))), 0, 0, NO_DEADLINE, images -> images);

            assertThat(crafted).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(ServingException.class, error -> {
                        assertThat(error.status()).isEqualTo(StatusCode.IMAGE_PARSING_FAILED);
                        assertThat(error.getMessage()).contains("more than 100 scans");
                    });
            assertThat(decoding.decode(List.of(ByteBuffer.wrap(GOOD)), 0, 0, NO_DEADLINE, images -> images))
                    .succeedsWithin(30, TimeUnit.SECONDS).satisfies(images -> assertThat(images).hasSize(1));
        }
    }

    @Test
    void everyDecodingThreadHeldBySlowJpegsIsFreedAtTheirDeadlineForTheNextImage() {
        try (ImageDecoding decoding = new ImageDecoding(1 << 24, 0)) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            List<CompletableFuture<List<DecodedImage>>> slow = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                slow.add(decoding.decode(List.of(ByteBuffer.wrap(JpegDecoderLimitsTest.SLOW)), 224, 224,
                        OptionalLong.of(deadline), images -> images));
            }
            CompletableFuture<List<DecodedImage>> next = decoding.decode(List.of(ByteBuffer.wrap(GOOD)), 224, 224,
                    NO_DEADLINE, images -> images);

            assertThat(next).as("served once a thread is free, not after the minute each slow JPEG takes")
                    .succeedsWithin(30, TimeUnit.SECONDS);
            for (CompletableFuture<List<DecodedImage>> stopped : slow) {
                assertThat(stopped).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOfSatisfying(ServingException.class,
                                error -> assertThat(error.status()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
            }
        }
    }

    @Test
    void anImageWhoseDeadlineHasPassedIsNotDecoded() {
        try (ImageDecoding decoding = new ImageDecoding(1 << 20, 100)) {
            CompletableFuture<List<DecodedImage>> late = decoding.decode(List.of(ByteBuffer.wrap(GOOD)), 0, 0,
                    OptionalLong.of(System.nanoTime() - 1), images -> images);

            assertThat(late).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(ServingException.class, error -> {
                        assertThat(error.status()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
                        assertThat(error.getMessage())
                                .isEqualTo("the deadline passed before the image was decoded (its decoding had not started)");
                    });
        }
    }

    private static String await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // close() interrupts running decodes; they still finish
        }
        return "released";
    }
}
