package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Model.ModelSpec;

/** Every bad request gets a clear status and message, and the next good request still succeeds. */
@QuarkusTest
class BadInputTest extends ServingTest {

    private static final long[] AFFINE_SHAPE = {1, 4};

    @Test
    void unknownModelIsNotFound() {
        assertFails(() -> predictions.predict(request("nope").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build()),
                Status.Code.NOT_FOUND, "model nope is not served");
        assertStillServes();
    }

    @Test
    void unservedVersionIsNotFound() {
        assertFails(() -> predictions.predict(request("affine", 1).putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4))
                .build()), Status.Code.NOT_FOUND, "version 1 is not served");
        assertStillServes();
    }

    @Test
    void unknownVersionLabelIsNotFound() {
        assertFails(() -> predictions.predict(request("affine")
                .setModelSpec(ModelSpec.newBuilder().setName("affine").setVersionLabel("stable"))
                .putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build()), Status.Code.NOT_FOUND, "stable");
        assertStillServes();
    }

    @Test
    void missingModelNameIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build()),
                Status.Code.INVALID_ARGUMENT, "model name is missing");
        assertStillServes();
    }

    @Test
    void missingInputIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("affine").build()), Status.Code.INVALID_ARGUMENT,
                "needs input x");
        assertStillServes();
    }

    @Test
    void extraInputIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("affine").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4))
                .putInputs("z", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build()), Status.Code.INVALID_ARGUMENT,
                "has no input z");
        assertStillServes();
    }

    @Test
    void wrongShapeIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("affine").putInputs("x", floats(new long[] {2, 2}, 1, 2, 3, 4))
                .build()), Status.Code.INVALID_ARGUMENT, "expects shape [1,4], got [2, 2]");
        assertStillServes();
    }

    @Test
    void wrongDtypeIsInvalidArgument() {
        TensorProto ints = floats(AFFINE_SHAPE, 1, 2, 3, 4).toBuilder().setDtype(DataType.DT_INT32).build();

        assertFails(() -> predictions.predict(request("affine").putInputs("x", ints).build()),
                Status.Code.INVALID_ARGUMENT, "expects F32, got I32");
        assertStillServes();
    }

    @Test
    void unsupportedDtypeIsInvalidArgument() {
        TensorProto complex = floats(AFFINE_SHAPE, 1, 2, 3, 4).toBuilder().setDtype(DataType.DT_COMPLEX64).build();

        assertFails(() -> predictions.predict(request("affine").putInputs("x", complex).build()),
                Status.Code.INVALID_ARGUMENT, "DT_COMPLEX64 is not supported");
        assertStillServes();
    }

    @Test
    void tensorContentShorterThanTheShapeIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("affine").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3)).build()),
                Status.Code.INVALID_ARGUMENT, "needs 16 bytes of F32, got 12");
        assertStillServes();
    }

    @Test
    void tensorContentLongerThanTheShapeIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("affine").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4, 5))
                .build()), Status.Code.INVALID_ARGUMENT, "needs 16 bytes of F32, got 20");
        assertStillServes();
    }

    @Test
    void unknownOutputFilterIsInvalidArgument() {
        assertFails(() -> predictions.predict(request("affine").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4))
                .addOutputFilter("nope").build()), Status.Code.INVALID_ARGUMENT, "has no output nope");
        assertStillServes();
    }

    @Test
    void messageAboveTheSizeLimitIsResourceExhausted() {
        TensorProto huge = floats(AFFINE_SHAPE).toBuilder().setTensorContent(ByteString.copyFrom(new byte[9 << 20]))
                .build();

        assertFails(() -> predictions.predict(request("affine").putInputs("x", huge).build()),
                Status.Code.RESOURCE_EXHAUSTED, "exceeds maximum size");
        assertStillServes();
    }
}
