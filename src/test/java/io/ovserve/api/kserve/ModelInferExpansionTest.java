package io.ovserve.api.kserve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelManager;
import io.ovserve.support.ParseCost;
import io.ovserve.support.RawBytes;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.inject.Inject;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * KServe requests that protobuf or translation would expand to many times their bytes are refused
 * from their counts on the wire: the marshaller allocates less than the request's own bytes, the
 * caller gets the status that says why, and the next request is served.
 */
@QuarkusTest
class ModelInferExpansionTest extends ServingTest {

    private static final String MODEL_INFER = "inference.GRPCInferenceService/ModelInfer";
    private static final int MANY = 1_000_000;

    @Inject
    ModelManager models;
    @Inject
    SmallRyeHealthReporter health;
    @Inject
    RequestMetrics metrics;

    @Test
    void aMillionEmptyBytesContentsForABatchOfOneImageAreRefusedBeforeTheyAreBuilt() {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        contents.addAllBytesContents(Collections.nCopies(MANY, ByteString.EMPTY));
        byte[] request = infer("image", InferInputTensor.newBuilder().setName("image").setDatatype("BYTES")
                .setContents(contents)).build().toByteArray();

        assertRefusedCheaply(request, "takes a batch of 1 image(s), got " + MANY);
    }

    @Test
    void aMillionEmptyLengthPrefixedElementsAreRefusedBeforeTheyAreSplit() {
        byte[] request = infer("image", InferInputTensor.newBuilder().setName("image").setDatatype("BYTES"))
                .addRawInputContents(ByteString.copyFrom(new byte[4 * MANY])).build().toByteArray();

        assertRefusedCheaply(request, "takes a batch of 1 image(s), got " + MANY);
    }

    @Test
    void packedInt64ContentsForAFloatInputAreRefusedBeforeTheyAreUnpacked() {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < MANY; i++) {
            contents.addInt64Contents(0);
        }
        byte[] request = infer("affine", InferInputTensor.newBuilder().setName("x").setDatatype("INT64")
                .addShape(1).addShape(MANY).setContents(contents)).build().toByteArray();

        assertRefusedCheaply(request, "input x expects F32, got I64");
    }

    @Test
    void aMillionRequestedOutputsAreRefused() {
        ModelInferRequest.Builder request = infer("affine", InferInputTensor.newBuilder().setName("x")
                .setDatatype("FP32").addShape(1).addShape(4)
                .setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2)
                        .addFp32Contents(3).addFp32Contents(4)));
        for (int i = 0; i < MANY; i++) {
            request.addOutputs(ModelInferRequest.InferRequestedOutputTensor.getDefaultInstance());
        }

        assertRefusedCheaply(request.build().toByteArray(), MANY + " entries in outputs");
    }

    private static ModelInferRequest.Builder infer(String model, InferInputTensor.Builder input) {
        return ModelInferRequest.newBuilder().setModelName(model).addInputs(input);
    }

    private void assertRefusedCheaply(byte[] request, String says) {
        assertThat(ParseCost.allocated(service(), MODEL_INFER, request)).as("bytes allocated to refuse %d bytes",
                request.length).isLessThan(request.length);
        assertFails(() -> RawBytes.call(channel, GRPCInferenceServiceGrpc.getModelInferMethod(), request, 60),
                Status.Code.INVALID_ARGUMENT, says);
        assertStillServes();
    }

    private ServerServiceDefinition service() {
        return new KServeInferenceService(models, health, metrics, "ovserve", "test").bindService();
    }
}
