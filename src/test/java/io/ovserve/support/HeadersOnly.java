package io.ovserve.support;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Calls that send their headers and then nothing, as a stalled or hostile client does. */
public final class HeadersOnly {

    private HeadersOnly() {
    }

    /** {@code count} calls of {@code method} started on {@code channel}, none sending its message. */
    public static List<ClientCall<byte[], byte[]>> start(Channel channel, MethodDescriptor<?, ?> method, int count) {
        List<ClientCall<byte[], byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(start(channel, method, new CompletableFuture<>()));
        }
        return calls;
    }

    /** One such call; {@code closed} completes with the status the server ends it with. */
    public static ClientCall<byte[], byte[]> start(Channel channel, MethodDescriptor<?, ?> method,
            CompletableFuture<Status> closed) {
        // as a streaming call: grpc-java holds a unary call's headers back until its message is written
        ClientCall<byte[], byte[]> call = channel.newCall(RawBytes.method(method).toBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING).build(), CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        return call;
    }

    /** A REST POST whose request line and headers announce a 1 MB body that never comes. */
    public static Socket restInference(int port, String path) throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(60_000);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }
}
