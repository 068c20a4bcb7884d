package io.ovserve.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovserve.support.Conditions;
import io.ovserve.support.ThreadNice;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Work run below the caller's priority, and the threads it creates with it; the caller keeps its own. */
class NicedThreadTest {

    @Test
    void theWorkAndTheThreadsItCreatesRunNicedOnANamedThread() throws Exception {
        int caller = ThreadNice.own();
        CompletableFuture<Integer> child = new CompletableFuture<>();

        String name = NicedThread.call("niced-work", 2, () -> {
            new Thread(() -> child.complete(ThreadNice.own())).start();
            assertThat(ThreadNice.own()).isEqualTo(caller + 2);
            return Thread.currentThread().getName();
        });

        assertThat(name).isEqualTo("niced-work");
        assertThat(child.get(10, TimeUnit.SECONDS)).as("a thread the work created").isEqualTo(caller + 2);
        assertThat(ThreadNice.own()).as("the caller").isEqualTo(caller);
    }

    @Test
    void whatTheWorkThrowsIsThrownToTheCaller() {
        assertThatThrownBy(() -> NicedThread.call("failing-work", 1, () -> {
            throw new IllegalStateException("compilation failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("compilation failed");
        assertThatThrownBy(() -> NicedThread.call("dying-work", 1, () -> {
            throw new OutOfMemoryError("no memory");
        })).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void anInterruptedCallerStillWaitsForTheWorkAndKeepsItsInterrupt() {
        Thread caller = Thread.currentThread();
        caller.interrupt();
        try {
            // the work ends only once it has seen its caller, interrupted, waiting for it
            String result = NicedThread.call("slow-work", 0, () -> {
                Conditions.await("the interrupted caller waiting for the work",
                        () -> caller.getState() == Thread.State.WAITING);
                return "done";
            });

            assertThat(result).isEqualTo("done");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
