package io.ovserve.api;

import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.support.Images;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;

/**
 * Encoded images take the shape {@code [N]} of N images, if a shape is given, over both APIs, gRPC and
 * REST (KServe's shape, TFS's nested lists): a shape of N elements in more than one dimension
 * ({@code [2,2]} for 4 images) is refused naming the input and the shape, as OVMS refuses it;
 * {@code [N]} and no shape are served.
 */
@QuarkusTest
class EncodedImageShapeTest extends ServingTest {

    private static final byte[] ORANGE = Images.solid("png", 8, 8, new Color(255, 128, 10));
    private static final String REFUSED = "input image of shape [2, 2] holds encoded images: its shape is [N]";
    /** The means image-batch answers for 4 orange images. */
    private static final float[] FOUR_MEANS = {10, 128, 255, 10, 128, 255, 10, 128, 255, 10, 128, 255};

    @Test
    void predictRefusesFourImagesOfShape2By2() {
        assertFails(() -> predictions.predict(request("image-batch").putInputs("image", images(2, 2)).build()),
                Status.Code.INVALID_ARGUMENT, REFUSED);
        assertStillServes();
    }

    @Test
    void predictServesFourImagesOfShape4OrWithoutShape() {
        assertThat(floatsOf(predictions.predict(request("image-batch").putInputs("image", images(4)).build()), "mean"))
                .containsExactly(FOUR_MEANS);
        assertThat(floatsOf(predictions.predict(request("image-batch").putInputs("image", images()).build()), "mean"))
                .containsExactly(FOUR_MEANS);
    }

    @Test
    void modelInferRefusesFourImagesOfShape2By2() {
        assertFails(() -> kserve().modelInfer(infer(2, 2)), Status.Code.INVALID_ARGUMENT,
                REFUSED.replace("[N]", "[N] of N images in contents.bytes_contents"));
        assertStillServes();
    }

    @Test
    void modelInferServesFourImagesOfShape4OrWithoutShape() {
        assertThat(kserve().modelInfer(infer(4)).getOutputs(0).getShapeList()).as("shape [4]").containsExactly(4L, 3L);
        assertThat(kserve().modelInfer(infer()).getOutputs(0).getShapeList()).as("no shape").containsExactly(4L, 3L);
    }

    @Test
    void kserveRestRefusesTwoImagesOfShape1By2With400() {
        binary("[1, 2]").then().statusCode(400)
                .body("error", containsString("input image of shape [1, 2] holds encoded images: its shape is [N]"));
        binary("[2]").then().statusCode(200); // the next good call
    }

    @Test
    void kserveRestServesTwoImagesOfShape2() {
        binary("[2]").then().statusCode(200).body("outputs[0].shape", contains(2, 3))
                .body("outputs[0].data", contains(10f, 128f, 255f, 10f, 128f, 255f));
    }

    @Test
    void tfsRestRefusesFourImagesNestedTwoByTwoWith400() {
        predictJson("[[%1$s, %1$s], [%1$s, %1$s]]").then().statusCode(400)
                .body("error", containsString(REFUSED.replace("[N]", "[N] of N images in the JSON values")));
        predictJson("[%1$s, %1$s]").then().statusCode(200); // the next good call
    }

    @Test
    void tfsRestServesTwoImagesAsRows() {
        predictJson("[%1$s, %1$s]").then().statusCode(200)
                .body("predictions", contains(contains(10f, 128f, 255f), contains(10f, 128f, 255f)));
    }

    /** A TFS REST Predict of image-batch whose "instances" are {@code instances}, %1$s standing for one image. */
    private static Response predictJson(String instances) {
        String image = "{\"b64\": \"" + Base64.getEncoder().encodeToString(ORANGE) + "\"}";
        return given().contentType("application/json").body("{\"instances\": " + instances.formatted(image) + "}")
                .post("/v1/models/image-batch:predict");
    }

    private static TensorProto images(long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING);
        if (dims.length > 0) {
            tensor.setTensorShape(shape(dims));
        }
        for (int i = 0; i < 4; i++) {
            tensor.addStringVal(ByteString.copyFrom(ORANGE));
        }
        return tensor.build();
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub kserve() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static ModelInferRequest infer(long... dims) {
        InferInputTensor.Builder input = InferInputTensor.newBuilder().setName("image").setDatatype("BYTES");
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < 4; i++) {
            contents.addBytesContents(ByteString.copyFrom(ORANGE));
        }
        for (long dim : dims) {
            input.addShape(dim);
        }
        return ModelInferRequest.newBuilder().setModelName("image-batch").addInputs(input.setContents(contents)).build();
    }

    /** Two orange images as binary data after the JSON, split by a list of sizes, with this shape. */
    private static Response binary(String shape) {
        byte[] json = """
                {"inputs": [{"name": "image", "shape": %s, "datatype": "BYTES",
                 "parameters": {"binary_data_size": [%d, %d]}}]}""".formatted(shape, ORANGE.length, ORANGE.length)
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(ORANGE);
        body.writeBytes(ORANGE);
        return given().header("Inference-Header-Content-Length", json.length).body(body.toByteArray())
                .post("/v2/models/image-batch/infer");
    }
}
