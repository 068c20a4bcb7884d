package io.ovserve.support;

import com.sun.management.ThreadMXBean;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;

/** What the server's request marshaller of a method allocates to take one request's bytes: parse or refuse. */
public final class ParseCost {

    private ParseCost() {
    }

    /** Bytes the current thread allocates while {@code service}'s marshaller of {@code method} takes {@code request}. */
    public static long allocated(ServerServiceDefinition service, String method, byte[] request) {
        MethodDescriptor.Marshaller<?> marshaller = service.getMethod(method).getMethodDescriptor()
                .getRequestMarshaller();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        marshaller.parse(new ByteArrayInputStream(request));
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
