package io.ovserve.os;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Lowers the calling thread's CPU priority (its Linux nice value), which the threads it creates
 * afterwards inherit: how {@link NicedThread} puts OpenVINO's stream threads below the gRPC event
 * loops. The JDK has no way to do it (Thread.setPriority is ignored on Linux).
 */
@Properties(value = @Platform(value = "linux-x86_64", compiler = "cpp11", include = "ovserve_nice.h"))
public final class Nice {

    static {
        Loader.load();
    }

    private Nice() {
    }

    /** Adds {@code increment} to this thread's nice value; 0, or the errno of the failure. */
    public static native int ovserve_nice_this_thread(int increment);
}
