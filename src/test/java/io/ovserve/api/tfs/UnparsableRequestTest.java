package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.support.RawBytes;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Bytes that are not the method's request message (a cut-off message, or garbage) are refused
 * with INVALID_ARGUMENT saying why, and the connection keeps serving good requests.
 */
@QuarkusTest
class UnparsableRequestTest extends ServingTest {

    /** Not a protobuf message: 't' reads as an end-group tag that closes no group. */
    private static final byte[] GARBAGE = "this is not a protobuf message".getBytes(StandardCharsets.US_ASCII);
    private static final String GARBAGE_REASON = "end-group tag did not match";
    private static final String TRUNCATED_REASON = "the input ended unexpectedly";

    private static final PredictRequest PREDICT = request("affine")
            .putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4)).build();
    private static final GetModelMetadataRequest METADATA = GetModelMetadataRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("affine")).addMetadataField("signature_def").build();
    private static final GetModelStatusRequest STATUS = GetModelStatusRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("affine")).build();

    @Test
    void garbagePredictIsInvalidArgument() {
        assertRefused(PredictionServiceGrpc.getPredictMethod(), GARBAGE, "tensorflow.serving.PredictRequest",
                GARBAGE_REASON);
        assertStillServes();
    }

    @Test
    void truncatedPredictIsInvalidArgument() {
        assertRefused(PredictionServiceGrpc.getPredictMethod(), truncated(PREDICT), "tensorflow.serving.PredictRequest",
                TRUNCATED_REASON);
        assertStillServes();
    }

    @Test
    void garbageGetModelMetadataIsInvalidArgument() {
        assertRefused(PredictionServiceGrpc.getGetModelMetadataMethod(), GARBAGE,
                "tensorflow.serving.GetModelMetadataRequest", GARBAGE_REASON);
        assertStillServes();
    }

    @Test
    void truncatedGetModelMetadataIsInvalidArgument() {
        assertRefused(PredictionServiceGrpc.getGetModelMetadataMethod(), truncated(METADATA),
                "tensorflow.serving.GetModelMetadataRequest", TRUNCATED_REASON);
        assertStillServes();
    }

    @Test
    void garbageGetModelStatusIsInvalidArgument() {
        assertRefused(ModelServiceGrpc.getGetModelStatusMethod(), GARBAGE, "tensorflow.serving.GetModelStatusRequest",
                GARBAGE_REASON);
        assertStillServes();
    }

    @Test
    void truncatedGetModelStatusIsInvalidArgument() {
        assertRefused(ModelServiceGrpc.getGetModelStatusMethod(), truncated(STATUS),
                "tensorflow.serving.GetModelStatusRequest", TRUNCATED_REASON);
        assertStillServes();
    }

    @Test
    void unknownFieldsAreIgnoredAsProtobufDoes() {
        PredictRequest withUnknownField = PREDICT.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(42).build()).build()).build();

        assertThat(Tensors.floatsOf(predictions.predict(withUnknownField), "y")).containsExactly(4, 7, 10, 13);
    }

    /** The message with its last byte cut off: its last field ends early. */
    private static byte[] truncated(Message message) {
        byte[] bytes = message.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 1);
    }

    /** Sends the bytes as the method's request, as a broken or hostile client could. */
    private void assertRefused(MethodDescriptor<?, ?> method, byte[] request, String messageType, String reason) {
        assertThatThrownBy(() -> RawBytes.call(channel, method, request, 60))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(error.getStatus().getDescription())
                            .startsWith("the request is not a valid " + messageType + ": ").contains(reason);
                });
    }
}
