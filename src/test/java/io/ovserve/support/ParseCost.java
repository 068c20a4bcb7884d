package io.ovserve.support;

import com.sun.management.ThreadMXBean;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;

/** What the server allocates to take one request's bytes, parse or refuse: a gRPC marshaller, or any step. */
public final class ParseCost {

    private ParseCost() {
    }

    /** Bytes the current thread allocates while {@code service}'s marshaller of {@code method} takes {@code request}. */
    public static long allocated(ServerServiceDefinition service, String method, byte[] request) {
        MethodDescriptor.Marshaller<?> marshaller = service.getMethod(method).getMethodDescriptor()
                .getRequestMarshaller();
        return allocated(() -> marshaller.parse(new ByteArrayInputStream(request)));
    }

    /** Bytes the current thread allocates while it runs {@code work}. */
    public static long allocated(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
