package io.ovserve.bench;

import com.google.protobuf.CodedOutputStream;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.support.RawBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Sends one expansion vector, about {@code BYTES} on the wire, to a server of the resnet model
 * (input "0" f32 [1,3,224,224]), then one good call, and prints
 * {@code VECTOR WIRE_BYTES STATUS MILLIS AFTER_LAST_BYTE_MILLIS NEXT_STATUS}, tab-separated
 * ({@code ExpansionVectors HOST:PORT VECTOR BYTES}; the answer timed from the call's start and from its last
 * byte sent, through a {@link LastByteRelay}):
 * tfs-strings (empty string_val), tfs-int64 (packed int64_val zeros), kserve-bytes (empty
 * bytes_contents), kserve-raw (zero-length BYTES elements in raw_input_contents), kserve-int64
 * (packed int64_contents zeros). Written by hand: a client that builds them with protobuf spends what
 * the server must not.
 */
public final class ExpansionVectors {

    private ExpansionVectors() {
    }

    public static void main(String[] args) throws IOException {
        String vector = args[1];
        long target = Long.parseLong(args[2]);
        byte[] request = build(vector, target);
        try (LastByteRelay relay = new LastByteRelay(args[0])) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(relay.address()).usePlaintext().build();
            try {
                boolean kserve = vector.startsWith("kserve");
                long start = System.nanoTime();
                String status = call(channel, kserve, request);
                long afterLastByte = relay.millisSinceLastByteSent();
                long millis = (System.nanoTime() - start) / 1_000_000;
                String next = call(channel, kserve, good(kserve));
                System.out.println(String.join("\t", vector, Integer.toString(request.length), status,
                        Long.toString(millis), Long.toString(afterLastByte), next));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static String call(ManagedChannel channel, boolean kserve, byte[] request) {
        try {
            RawBytes.call(channel, kserve ? GRPCInferenceServiceGrpc.getModelInferMethod()
                    : PredictionServiceGrpc.getPredictMethod(), request, 60);
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + " \"" + e.getStatus().getDescription() + "\"";
        }
    }

    private static byte[] build(String vector, long target) throws IOException {
        return switch (vector) {
            case "tfs-strings" -> predict(tensor(7, new long[0], repeated(8, target / 2)));
            case "tfs-int64" -> predict(tensor(9, new long[] {1, target}, packedZeros(10, target)));
            case "kserve-bytes" -> infer("BYTES", new long[0], repeated(8, target / 2), new byte[0]);
            case "kserve-raw" -> infer("BYTES", new long[0], new byte[0], new byte[(int) (target / 4 * 4)]);
            case "kserve-int64" -> infer("INT64", new long[] {1, target}, packedZeros(3, target), new byte[0]);
            default -> throw new IllegalArgumentException("unknown vector " + vector);
        };
    }

    /** A good request: one f32 [1,3,224,224] of zeros. */
    private static byte[] good(boolean kserve) throws IOException {
        byte[] zeros = new byte[3 * 224 * 224 * 4];
        return kserve ? infer("FP32", new long[] {1, 3, 224, 224}, new byte[0], zeros)
                : predict(tensor(1, new long[] {1, 3, 224, 224}, field(4, zeros)));
    }

    /** {@code count} empty elements of a repeated bytes field. */
    private static byte[] repeated(int field, long count) {
        byte[] bytes = new byte[(int) count * 2];
        for (int i = 0; i < bytes.length; i += 2) {
            bytes[i] = (byte) (field << 3 | 2);
        }
        return bytes;
    }

    /** A packed repeated varint field of {@code count} zeros. */
    private static byte[] packedZeros(int field, long count) throws IOException {
        return field(field, new byte[(int) count]);
    }

    private static byte[] tensor(int dtype, long[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (long dim : dims) {
            ByteArrayOutputStream size = new ByteArrayOutputStream();
            write(size, out -> out.writeInt64(1, dim));
            shape.write(field(2, size.toByteArray()));
        }
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        write(tensor, out -> out.writeEnum(1, dtype));
        tensor.write(field(2, shape.toByteArray()));
        tensor.write(values);
        return tensor.toByteArray();
    }

    private static byte[] predict(byte[] tensor) throws IOException {
        ByteArrayOutputStream spec = new ByteArrayOutputStream();
        write(spec, out -> out.writeString(1, "resnet"));
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        write(entry, out -> out.writeString(1, "0"));
        entry.write(field(2, tensor));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(field(1, spec.toByteArray()));
        request.write(field(2, entry.toByteArray()));
        return request.toByteArray();
    }

    private static byte[] infer(String datatype, long[] dims, byte[] contents, byte[] raw) throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        write(input, out -> {
            out.writeString(1, "0");
            out.writeString(2, datatype);
            for (long dim : dims) {
                out.writeInt64(3, dim);
            }
        });
        if (contents.length > 0) {
            input.write(field(5, contents));
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, out -> out.writeString(1, "resnet"));
        request.write(field(5, input.toByteArray()));
        if (raw.length > 0) {
            request.write(field(7, raw));
        }
        return request.toByteArray();
    }

    /** A length-delimited field. */
    private static byte[] field(int number, byte[] value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length + 16);
        write(bytes, out -> {
            out.writeTag(number, 2);
            out.writeUInt32NoTag(value.length);
        });
        bytes.write(value);
        return bytes.toByteArray();
    }

    private interface Writes {
        void to(CodedOutputStream out) throws IOException;
    }

    private static void write(ByteArrayOutputStream bytes, Writes writes) throws IOException {
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writes.to(out);
        out.flush();
    }
}
