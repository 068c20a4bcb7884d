package io.ovserve.bench;

import com.google.protobuf.Int64Value;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ovserve.support.Tensors;
import java.io.IOException;
import java.net.InetSocketAddress;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The transport's limit for the overhead benchmark: grpc-java on Netty, the transport under ovserve's
 * gRPC server, answering every Predict at once with the reply ovserve gives the benchmark's affine
 * request, without inference. {@code PlainPredictServer PORT} listens on 127.0.0.1, prints a line once
 * it does, and runs until killed.
 */
public final class PlainPredictServer extends PredictionServiceGrpc.PredictionServiceImplBase {

    private final PredictResponse reply;

    private PlainPredictServer(PredictResponse reply) {
        this.reply = reply;
    }

    /** What ovserve answers for affine's highest version (2: y = 3x + 1) to the request file's x. */
    static PredictResponse affineReply() {
        float[] y = PredictRequestFile.values(4);
        for (int i = 0; i < y.length; i++) {
            y[i] = 3 * y[i] + 1;
        }
        return PredictResponse.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine").setVersion(Int64Value.of(2)))
                .putOutputs("y", Tensors.floats(new long[] {1, 4}, y))
                .build();
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
        observer.onNext(reply);
        observer.onCompleted();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args[0]);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                // on the event loop, as ovserve's gRPC server (Vert.x) runs its non-blocking Predict
                .directExecutor()
                .addService(new PlainPredictServer(affineReply()))
                .build()
                .start();
        System.out.println("plain Predict server listening on 127.0.0.1:" + port);
        server.awaitTermination();
    }
}
