package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelManager;
import io.ovserve.support.ParseCost;
import io.ovserve.support.RawBytes;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Requests that protobuf or translation would expand to many times their bytes are refused from
 * their counts on the wire, before any element is built: the marshaller allocates less than the
 * request's own bytes, the caller gets the status that says why, and the next request is served.
 */
@QuarkusTest
class PredictExpansionTest extends ServingTest {

    private static final String PREDICT = "tensorflow.serving.PredictionService/Predict";
    private static final int MANY = 1_000_000;

    @Inject
    ModelManager models;
    @Inject
    RequestMetrics metrics;

    @Test
    void aMillionEmptyStringsForABatchOfOneImageAreRefusedBeforeTheyAreBuilt() {
        TensorProto.Builder strings = TensorProto.newBuilder().setDtype(DataType.DT_STRING);
        strings.addAllStringVal(Collections.nCopies(MANY, ByteString.EMPTY));
        byte[] request = request("image").putInputs("image", strings.build()).build().toByteArray();

        assertRefusedCheaply(request, Status.Code.INVALID_ARGUMENT, "takes a batch of 1 image(s), got " + MANY);
    }

    @Test
    void packedInt64ValuesForAFloatInputAreRefusedBeforeTheyAreUnpacked() {
        TensorProto.Builder longs = TensorProto.newBuilder().setDtype(DataType.DT_INT64)
                .setTensorShape(shape(1, MANY));
        for (int i = 0; i < MANY; i++) {
            longs.addInt64Val(0);
        }
        byte[] request = request("affine").putInputs("x", longs.build()).build().toByteArray();

        assertRefusedCheaply(request, Status.Code.INVALID_ARGUMENT, "input x expects F32, got I64");
    }

    @Test
    void valuesInAFieldTheDtypeDoesNotReadAreRefused() {
        TensorProto.Builder tensor = floats(new long[] {1, 4}, 1, 2, 3, 4).toBuilder();
        for (int i = 0; i < MANY; i++) {
            tensor.addInt64Val(0);
        }
        byte[] request = request("affine").putInputs("x", tensor.build()).build().toByteArray();

        assertRefusedCheaply(request, Status.Code.INVALID_ARGUMENT, MANY + " values in int64_val");
    }

    @Test
    void aMillionOutputFiltersAreRefused() {
        PredictRequest.Builder request = request("affine").putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4));
        request.addAllOutputFilter(Collections.nCopies(MANY, "y"));

        assertRefusedCheaply(request.build().toByteArray(), Status.Code.INVALID_ARGUMENT,
                MANY + " entries in output_filter");
    }

    @Test
    void unknownFieldsAreDiscardedNotKeptAndTheRequestIsServed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        request("affine").putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4)).build().writeTo(bytes);
        CodedOutputStream unknown = CodedOutputStream.newInstance(bytes);
        for (int i = 0; i < MANY; i++) {
            unknown.writeUInt64(99, 0);
        }
        unknown.flush();
        byte[] request = bytes.toByteArray();

        assertThat(ParseCost.allocated(service(), PREDICT, request)).isLessThan(request.length);
        byte[] reply = RawBytes.call(channel, PredictionServiceGrpc.getPredictMethod(), request, 60);
        assertThat(PredictResponse.parseFrom(reply).getOutputsOrThrow("y").getTensorContent().size()).isEqualTo(16);
    }

    private void assertRefusedCheaply(byte[] request, Status.Code code, String says) {
        assertThat(ParseCost.allocated(service(), PREDICT, request)).as("bytes allocated to refuse %d bytes",
                request.length).isLessThan(request.length);
        assertFails(() -> RawBytes.call(channel, PredictionServiceGrpc.getPredictMethod(), request, 60), code, says);
        assertStillServes();
    }

    private ServerServiceDefinition service() {
        return new TfsPredictionService(models, metrics).bindService();
    }
}
