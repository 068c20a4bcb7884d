package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.sun.management.ThreadMXBean;
import io.grpc.Status;
import io.ovserve.api.DecompressionLimit;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/**
 * gRPC messages sent with {@code grpc-encoding: gzip}, as grpcio's {@code compression=Gzip} and grpc-java's
 * {@code withCompression("gzip")} send them: served, unless they inflate beyond
 * {@code ovserve.max-decompression-ratio} times their compressed size (plus the floor), which is refused
 * with RESOURCE_EXHAUSTED before the message is inflated further.
 */
@QuarkusTest
class GzipPredictTest extends ServingTest {

    private static final int MIB = 1 << 20;

    /** A Predict of {@code bytes} zero bytes of float tensor content: compresses about a thousandfold. */
    private static PredictRequest zeros(int bytes) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(1, bytes / 4))
                .setTensorContent(ByteString.copyFrom(new byte[bytes])).build();
        return request("affine").putInputs("x", tensor).build();
    }

    @Test
    void aGzipMessageInflatingBeyondTheRatioIsRefusedAndTheNextGzipMessageIsServed() {
        PredictRequest bomb = zeros(7 * MIB); // ~7 KB of gzip, within the test's 8 MiB message limit once inflated

        assertFails(() -> predictions.withCompression("gzip").predict(bomb), Status.Code.RESOURCE_EXHAUSTED,
                DecompressionLimit.RATIO);
        PredictResponse served = predictions.withCompression("gzip")
                .predict(request("affine").putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
        assertThat(Tensors.floatsOf(served, "y")).containsExactly(4, 7, 10, 13);
    }

    @Test
    void aGzipBombCostsTheServerAboutItsBoundNotWhatItInflatesTo() {
        PredictRequest bomb = zeros(8_000_000); // ~8 KB of gzip: bound ~32 x 8 KB + 1 MiB
        assertThatThrownBy(() -> predictions.withCompression("gzip").predict(bomb)); // how: the test above
        long before = allocatedByEveryThread(); // the second: classes loaded, code compiled, as a replica's

        assertThatThrownBy(() -> predictions.withCompression("gzip").predict(bomb));

        // read whole, then parsed: at least twice the 8 MB it inflates to if nothing bounds it
        assertThat(allocatedByEveryThread() - before).as("bytes allocated in this JVM, server and client")
                .isLessThan(8_000_000);
    }

    @Test
    void aGzipMessageItsCheckRefusesIsReadAsItInflatesNotHeldInflated() {
        byte[] random = new byte[6 * MIB]; // as large when compressed: within the ratio, a bound of the inflated bytes
        new Random(19).nextBytes(random);
        TensorProto int64s = TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(shape(1, random.length / 8))
                .setTensorContent(ByteString.copyFrom(random)).build();
        PredictRequest refused = request("affine").putInputs("x", int64s).build();
        assertFails(() -> predictions.withCompression("gzip").predict(refused), Status.Code.INVALID_ARGUMENT,
                "expects F32, got I64");
        long before = allocatedByEveryThread(); // the second, as above

        assertThatThrownBy(() -> predictions.withCompression("gzip").predict(refused));

        // inflated whole before its check: the 6 MiB twice (read in pieces, then into one array)
        assertThat(allocatedByEveryThread() - before).as("bytes allocated in this JVM, server and client")
                .isLessThan(MIB);
        PredictResponse served = predictions.withCompression("gzip")
                .predict(request("affine").putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
        assertThat(Tensors.floatsOf(served, "y")).containsExactly(4, 7, 10, 13);
    }

    /** What this JVM's threads (the server's and this test's) have allocated so far. */
    private static long allocatedByEveryThread() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(bytes -> bytes > 0).sum();
    }
}
