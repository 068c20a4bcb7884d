package io.ovserve.support;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends bytes as a method's request message, unchanged: what no generated stub would send (cut-off
 * messages, garbage, invalid UTF-8), as a broken or hostile client could.
 */
public final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {

    private static final RawBytes MARSHALLER = new RawBytes();

    private RawBytes() {
    }

    /** One unary call of {@code method} carrying {@code request} as its message; the reply's bytes. */
    public static byte[] call(Channel channel, MethodDescriptor<?, ?> method, byte[] request, long deadlineSeconds) {
        return ClientCalls.blockingUnaryCall(channel, method(method),
                CallOptions.DEFAULT.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS), request);
    }

    /** {@code method} with bytes for its messages. */
    public static MethodDescriptor<byte[], byte[]> method(MethodDescriptor<?, ?> method) {
        return method.toBuilder(MARSHALLER, MARSHALLER).build();
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
