package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ImageDecodingTest {

    @Test
    void closingAnswersWaitingImagesUnavailableInsteadOfLeavingThemHanging() throws Exception {
        ImageDecoding decoding = new ImageDecoding(1 << 20);
        int threads = Runtime.getRuntime().availableProcessors();
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Object>> busy = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            busy.add(decoding.decode(List.of(), 0, 0, images -> {
                started.countDown();
                return await(release);
            }));
        }
        assertThat(started.await(5, TimeUnit.SECONDS)).as("every decoding thread busy").isTrue();
        CompletableFuture<Object> waiting = decoding.decode(List.of(ByteBuffer.allocate(1)), 0, 0, images -> "never");

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
        try (ImageDecoding decoding = new ImageDecoding(1 << 20)) {
            CompletableFuture<Object> call = decoding.decode(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})), 0, 0,
                    images -> "decoded");

            assertThat(call).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(ServingException.class,
                            error -> assertThat(error.status()).isEqualTo(StatusCode.IMAGE_PARSING_FAILED));
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
