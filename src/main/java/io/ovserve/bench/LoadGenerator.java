package io.ovserve.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc.PredictionServiceStub;

/**
 * Closed-loop gRPC load for TensorFlow Serving's Predict: {@code --concurrency} lanes, each sending
 * its next call as soon as the previous one completes, so exactly that many calls are in flight.
 * Prints one line, {@code served_fps=... requests=... errors=... p50_ms=... p99_ms=...}; exits 1 if
 * any call failed, 2 on bad options or when the first call does not succeed.
 *
 * <p>It shares the machine with the server it measures, so it is kept cheap: one request message
 * built once and resent, one Netty event-loop thread, and callbacks run on that thread
 * ({@code directExecutor}) instead of hopping to a pool. Plain Java on purpose: no Quarkus boot.
 */
public final class LoadGenerator {

    private final LoadOptions options;
    private final PredictRequest request;
    private final PredictionServiceStub stub;
    private final MeasuredWindow window;
    private final CountDownLatch lanesDone;

    private LoadGenerator(LoadOptions options, PredictRequest request, ManagedChannel channel) {
        this.options = options;
        this.request = request;
        this.stub = PredictionServiceGrpc.newStub(channel);
        long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        this.window = new MeasuredWindow(start, start + TimeUnit.SECONDS.toNanos(options.seconds()));
        this.lanesDone = new CountDownLatch(options.concurrency());
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage() + "\n" + LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        NioEventLoopGroup loop = new NioEventLoopGroup(options.threads());
        ManagedChannel channel = NettyChannelBuilder.forAddress(options.host(), options.port())
                .usePlaintext().directExecutor().eventLoopGroup(loop).channelType(NioSocketChannel.class)
                .maxInboundMessageSize(Integer.MAX_VALUE).build();
        int status;
        try {
            status = run(options, request(options), channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
        System.exit(status);
    }

    private static int run(LoadOptions options, PredictRequest request, ManagedChannel channel)
            throws InterruptedException {
        // One blocking call first: a wrong port, model or shape fails here with the server's message.
        try {
            PredictResponse reply = PredictionServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(options.deadlineSeconds(), TimeUnit.SECONDS).predict(request);
            System.err.println("LoadGenerator: first reply has outputs " + reply.getOutputsMap().keySet());
        } catch (RuntimeException e) {
            System.err.println("LoadGenerator: first call failed: " + e);
            return 2;
        }
        System.err.printf("LoadGenerator: %d calls in flight, %d s warm-up, %d s measured%n",
                options.concurrency(), options.warmupSeconds(), options.seconds());
        return new LoadGenerator(options, request, channel).measure();
    }

    private int measure() throws InterruptedException {
        for (int lane = 0; lane < options.concurrency(); lane++) {
            send();
        }
        long untilEnd = window.endNanos() - System.nanoTime();
        // Lanes stop by themselves after the window; calls still out then get at most one deadline.
        long bound = untilEnd + TimeUnit.SECONDS.toNanos(options.deadlineSeconds() + 5L);
        if (!lanesDone.await(bound, TimeUnit.NANOSECONDS)) {
            System.err.println("LoadGenerator: calls still in flight long after the window closed");
        }
        System.out.println(window.summary());
        if (window.allErrors() > 0) {
            System.err.println("LoadGenerator: " + window.allErrors() + " calls failed, first: " + window.firstError());
            return 1;
        }
        return 0;
    }

    private void send() {
        long sent = System.nanoTime();
        stub.withDeadlineAfter(options.deadlineSeconds(), TimeUnit.SECONDS).predict(request,
                new StreamObserver<>() {
                    @Override
                    public void onNext(PredictResponse reply) {
                        // only completion matters; the reply's content was checked by the first call
                    }

                    @Override
                    public void onError(Throwable error) {
                        window.error(System.nanoTime(), error);
                        // The run has failed anyway; ending the lane keeps a dead server from being
                        // hammered in a tight loop of instant failures.
                        lanesDone.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        long done = System.nanoTime();
                        window.reply(sent, done);
                        if (window.isOver(done)) {
                            lanesDone.countDown();
                        } else {
                            send();
                        }
                    }
                });
    }

    static PredictRequest request(LoadOptions options) throws IOException {
        TensorProto tensor = options.images().isPresent()
                ? encodedImage(Files.readAllBytes(options.images().get()))
                : randomFloats(options.shape(), options.seed());
        return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(options.model()))
                .putInputs(options.input(), tensor).build();
    }

    /** Little-endian f32 in tensor_content, as TF Serving clients pack numpy arrays. */
    private static TensorProto randomFloats(long[] shape, long seed) {
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(seed);
        while (data.hasRemaining()) {
            data.putFloat(random.nextFloat());
        }
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        Arrays.stream(shape).forEach(dim -> dims.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim)));
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(dims)
                .setTensorContent(UnsafeByteOperations.unsafeWrap(data.array())).build();
    }

    /** One encoded image per batch entry in string_val, the binary input layout OVMS accepts. */
    private static TensorProto encodedImage(byte[] image) {
        return TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addStringVal(ByteString.copyFrom(image)).build();
    }
}
