package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.ovserve.api.BoundedGzip;
import io.ovserve.api.DecompressionLimit;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelManager;
import io.ovserve.support.Compressed;
import io.ovserve.support.ParseCost;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    @Inject
    ModelManager models;
    @Inject
    RequestMetrics metrics;
    @Inject
    DecompressionLimit limit;

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
    void aGzipBombCostsTheServerItsBoundNotWhatItInflatesTo() throws IOException {
        byte[] bomb = Compressed.GZIP.of(zeros(50 * MIB).toByteArray()); // ~50 KB: bound ~32 x 50 KB + 1 MiB
        InputStream inflating = new BoundedGzip(limit).decompress(new ByteArrayInputStream(bomb));

        long allocated = ParseCost.allocated(new TfsPredictionService(models, metrics).bindService(),
                "tensorflow.serving.PredictionService/Predict", inflating);

        assertThat(allocated).as("bytes allocated to refuse %d bytes of gzip", bomb.length).isLessThan(8L * MIB);
    }
}
