package io.ovserve.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The nice value is the calling thread's, and threads it creates afterwards inherit it (Linux). */
class NiceTest {

    @Test
    void lowersOnlyTheCallingThreadAndWhatItCreatesAfterwards() throws Exception {
        int before = ownNice();
        CompletableFuture<int[]> niced = new CompletableFuture<>();
        Thread lowered = new Thread(() -> {
            int error = Nice.ovserve_nice_this_thread(3);
            CompletableFuture<Integer> child = new CompletableFuture<>();
            Thread created = new Thread(() -> child.complete(ownNice()));
            created.start();
            niced.complete(new int[] {error, ownNice(), child.join()});
        });
        lowered.start();

        int[] result = niced.get(10, TimeUnit.SECONDS);
        assertThat(result[0]).as("errno").isZero();
        assertThat(result[1]).as("the calling thread").isEqualTo(before + 3);
        assertThat(result[2]).as("a thread it created afterwards").isEqualTo(before + 3);
        assertThat(ownNice()).as("another thread").isEqualTo(before);
    }

    /** Field 19 of /proc/thread-self/stat, counted after the command name in parentheses. */
    private static int ownNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
