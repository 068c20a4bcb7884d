package io.ovserve.inference;

import static io.ovserve.inference.InferRequestPoolTest.causeOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.AffineOnCpu;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Out of memory again while the pool handles an out-of-memory: the call still completes, the worker goes on. */
class InferRequestPoolOutOfMemoryTest extends AffineOnCpu {

    @Test
    void anOutOfMemoryThatCannotBeDescribedStillFailsItsCallAsResourceExhaustedAndTheWorkerGoesOn() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            CompletableFuture<Object> failed = pool.submit(request -> {
                throw new Indescribable();
            });

            assertOutOfMemory(failed);
            assertThat(pool.active()).isZero();
            assertThat(pool.submit(request -> "next").get(10, TimeUnit.SECONDS)).isEqualTo("next");
            assertThat(pool.lostWorkers()).isZero();
        }
    }

    @Test
    void aCallWhoseCompletionRunsOutOfMemoryTwiceFailsAsResourceExhaustedAndTheWorkerGoesOn() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            CompletableFuture<String> failed = pool.submit(request -> "computed", OptionalLong.empty(),
                    new RunsOutOfMemoryCompleting<>(2));

            assertOutOfMemory(failed);
            assertThat(pool.active()).isZero();
            assertThat(pool.submit(request -> "next").get(10, TimeUnit.SECONDS)).isEqualTo("next");
            assertThat(pool.lostWorkers()).isZero();
        }
    }

    @Test
    void aWorkerThatCanNeverCompleteACallIsCountedLostAndWhatWaitsFailsInsteadOfHanging() {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            pool.submit(request -> "computed", OptionalLong.empty(),
                    new RunsOutOfMemoryCompleting<>(Integer.MAX_VALUE));

            assertThat(causeOf(pool.submit(request -> "next"))).isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(StatusCode.MODEL_NOT_AVAILABLE));
            assertThat(pool.lostWorkers()).as("what liveness reports").isEqualTo(1);
            assertThat(pool.active()).isZero();
        }
    }

    private static void assertOutOfMemory(CompletableFuture<?> call) {
        assertThat(causeOf(call)).isInstanceOfSatisfying(ServingException.class, error -> {
            assertThat(error.status()).isEqualTo(StatusCode.OUT_OF_MEMORY);
            assertThat(error.status().grpcCode()).as("RESOURCE_EXHAUSTED").isEqualTo(8);
            assertThat(error.getMessage()).contains("affine", "out of memory");
        });
    }

    /** An out-of-memory that cannot even be described: every look at its message runs out of memory again. */
    private static final class Indescribable extends OutOfMemoryError {

        @Override
        public String getMessage() {
            throw new OutOfMemoryError();
        }
    }

    /** A future whose completion runs out of memory the first times, as allocating its result can. */
    private static final class RunsOutOfMemoryCompleting<T> extends CompletableFuture<T> {

        private final AtomicInteger failures;

        RunsOutOfMemoryCompleting(int failures) {
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public boolean complete(T value) {
            runOutOfMemory();
            return super.complete(value);
        }

        @Override
        public boolean completeExceptionally(Throwable error) {
            runOutOfMemory();
            return super.completeExceptionally(error);
        }

        private void runOutOfMemory() {
            if (failures.getAndDecrement() > 0) {
                throw new OutOfMemoryError("completing");
            }
        }
    }
}
