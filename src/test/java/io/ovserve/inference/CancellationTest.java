package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Cancelling the last stage of a chain reaches the stage that does the work, whichever is pending. */
class CancellationTest {

    @Test
    void cancellingAComposedStageBeforeItsFirstCompletesCancelsTheFirst() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletableFuture<String> composed = Cancellation.compose(first, value -> second);

        composed.cancel(false);

        assertThat(first).isCancelled();
        first.complete("late");
        assertThat(second).as("never asked for").isNotDone();
    }

    @Test
    void cancellingAComposedStageAfterItsFirstCompletedCancelsTheSecond() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletableFuture<String> composed = Cancellation.compose(first, value -> second);
        first.complete("parsed");

        composed.cancel(false);

        assertThat(second).isCancelled();
    }

    @Test
    void aComposedStageCompletesAsItsSecond() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> composed = Cancellation.compose(first, value -> CompletableFuture.completedFuture(
                value + " and inferred"));

        first.complete("parsed");

        assertThat(composed).isCompletedWithValue("parsed and inferred");
    }

    @Test
    void cancellingAStageReachingItsSourceCancelsTheSource() {
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<Integer> stage = Cancellation.reaching(source.thenApply(String::length), source);

        stage.cancel(false);

        assertThat(source).isCancelled();
    }
}
