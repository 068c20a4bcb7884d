package io.ovserve.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ThreadNice;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The nice value is the calling thread's, and threads it creates afterwards inherit it (Linux). */
class NiceTest {

    @Test
    void lowersOnlyTheCallingThreadAndWhatItCreatesAfterwards() throws Exception {
        int before = ThreadNice.own();
        CompletableFuture<int[]> niced = new CompletableFuture<>();
        Thread lowered = new Thread(() -> {
            int error = Nice.ovserve_nice_this_thread(3);
            CompletableFuture<Integer> child = new CompletableFuture<>();
            Thread created = new Thread(() -> child.complete(ThreadNice.own()));
            created.start();
            niced.complete(new int[] {error, ThreadNice.own(), child.join()});
        });
        lowered.start();

        int[] result = niced.get(10, TimeUnit.SECONDS);
        assertThat(result[0]).as("errno").isZero();
        assertThat(result[1]).as("the calling thread").isEqualTo(before + 3);
        assertThat(result[2]).as("a thread it created afterwards").isEqualTo(before + 3);
        assertThat(ThreadNice.own()).as("another thread").isEqualTo(before);
    }
}
