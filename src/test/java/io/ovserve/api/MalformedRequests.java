package io.ovserve.api;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.images;
import static io.ovserve.support.Tensors.littleEndianFloats;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;
import static io.ovserve.support.Tensors.shapeOf;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyRequest;
import io.ovserve.support.BrokenImages;
import io.ovserve.support.Images;
import io.ovserve.support.RawBytes;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The malformed requests of the sweep ({@link MalformedRequestsTest}): each with the gRPC code it
 * must be answered with and words its message must hold. Most go to {@code affine} (input x [1,4]
 * f32, output y = 3x + 1), {@code dynbatch} (x [?,4]) or the 8x8 image models, over both gRPC APIs
 * (TensorFlow Serving, KServe v2).
 */
final class MalformedRequests {

    /** How a case reaches the server: stock stubs, or raw bytes on the same channel. */
    record Calls(Channel channel, PredictionServiceGrpc.PredictionServiceBlockingStub predictions,
            ModelServiceGrpc.ModelServiceBlockingStub models, long messageLimit, long deadlineSeconds) {

        PredictResponse predict(PredictRequest.Builder request) {
            return predictions.predict(request.build());
        }

        byte[] raw(MethodDescriptor<?, ?> method, byte[] request) {
            return RawBytes.call(channel, method, request, deadlineSeconds);
        }

        /** The KServe v2 stub on the same channel. */
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub kserve() {
            return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * One request. {@code send} makes the call; a request that must be served ({@code expected} OK)
     * returns a summary of the reply, which must hold {@code says}.
     */
    record Case(String request, Status.Code expected, String says, Function<Calls, Object> send) {
    }

    private static final long[] X = {1, 4};
    private static final byte[] PNG = Images.solid("png", 8, 8, Color.ORANGE);
    private static final byte[] NOISE_JPEG = Images.noise("jpg", 64, 64);
    private static final byte[] NOISE_PNG = Images.noise("png", 64, 64);
    private static final PredictRequest GOOD = request("affine").putInputs("x", floats(X, 1, 2, 3, 4)).build();
    /** PredictRequest.model_spec (field 1, length-delimited) claiming 2^31-1 bytes, and nothing after. */
    private static final byte[] CLAIMS_2_GB = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    /** PredictRequest.model_spec.name (field 1 of field 1) holding the bytes FF FE. */
    private static final byte[] NAME_NOT_UTF8 = {0x0a, 0x04, 0x0a, 0x02, (byte) 0xff, (byte) 0xfe};
    private static final String NOT_A_PREDICT_REQUEST = "the request is not a valid tensorflow.serving.PredictRequest";
    private static final ModelInferRequest GOOD_INFER = inferAffine(littleEndianFloats(1, 2, 3, 4)).build();

    private MalformedRequests() {
    }

    static List<Case> all() {
        return Stream.of(notTheMessage(), modelSpecs(), dtypes(), shapesAndSizes(), inputsAndOutputs(), binaryImages(),
                metadataAndStatus(), kserve()).flatMap(List::stream).toList();
    }

    /** Bytes that are not the method's request message, unknown fields, and a message above the size limit. */
    private static List<Case> notTheMessage() {
        return List.of(
                invalid("Predict: protobuf with its last byte cut off", raw(predictMethod(), cut(GOOD, 1)),
                        "the input ended unexpectedly"),
                invalid("Predict: protobuf cut in half", raw(predictMethod(), cut(GOOD, GOOD.getSerializedSize() / 2)),
                        NOT_A_PREDICT_REQUEST),
                invalid("Predict: garbage bytes (ASCII text)", raw(predictMethod(), ascii("this is not a protobuf")),
                        "end-group tag did not match"),
                invalid("Predict: tag with wire type 7 (none exists)", raw(predictMethod(), new byte[] {0x0f}),
                        "invalid wire type"),
                invalid("Predict: length prefix of 2^31-1 bytes, 0 sent",
                        raw(predictMethod(), CLAIMS_2_GB),
                        "a length-delimited field claims more bytes than the message holds"),
                invalid("Predict: tensor_content claiming 2^40 bytes (a length past 32 bits), 0 sent",
                        raw(predictMethod(), contentClaiming2To40Bytes()),
                        "a field claims 1099511627776 bytes, more than a message can hold"),
                invalid("Predict: model name that is not UTF-8",
                        raw(predictMethod(), NAME_NOT_UTF8), "invalid UTF-8"),
                invalid("Predict: empty message (0 bytes)", raw(predictMethod(), new byte[0]), "model name is missing"),
                served("Predict: unknown fields (999 in the request and in the tensor), ignored as protobuf does",
                        c -> summary(c.predict(withUnknownFields())), "y = [4.0, 7.0, 10.0, 13.0]"),
                invalid("GetModelMetadata: garbage bytes", raw(metadataMethod(), ascii("garbage")),
                        "not a valid tensorflow.serving.GetModelMetadataRequest"),
                invalid("GetModelStatus: protobuf with its last byte cut off",
                        raw(statusMethod(), cut(statusRequest(spec("affine")), 1)),
                        "not a valid tensorflow.serving.GetModelStatusRequest"),
                new Case("Predict: message 1 MB above max-inbound-message-size", Status.Code.RESOURCE_EXHAUSTED,
                        "exceeds maximum size", c -> c.predict(request("affine").putInputs("x", floats(X).toBuilder()
                                .setTensorContent(ByteString.copyFrom(new byte[(int) c.messageLimit() + (1 << 20)]))
                                .build()))));
    }

    private static List<Case> modelSpecs() {
        TensorProto x = floats(X, 1, 2, 3, 4);
        return List.of(
                notFound("Predict: unknown model", predict(request("nope").putInputs("x", x)),
                        "model nope is not served"),
                notFound("Predict: unknown version (7)", predict(request("affine", 7).putInputs("x", x)),
                        "model affine version 7 is not served"),
                notFound("Predict: negative version (-1)", predict(request("affine", -1).putInputs("x", x)),
                        "model affine version -1 is not served"),
                notFound("Predict: unknown version label", predict(request("affine")
                        .setModelSpec(spec("affine").toBuilder().setVersionLabel("stable")).putInputs("x", x)),
                        "has no version label stable"),
                invalid("Predict: empty model name", predict(request("").putInputs("x", x)), "model name is missing"),
                invalid("Predict: no model_spec", predict(PredictRequest.newBuilder().putInputs("x", x)),
                        "model name is missing"));
    }

    private static List<Case> dtypes() {
        TensorProto.Builder x = floats(X, 1, 2, 3, 4).toBuilder();
        return List.of(
                invalid("Predict: DT_STRING to a f32 input",
                        affine(images(ascii("1.0"), ascii("2.0"), ascii("3.0"), ascii("4.0"))), "takes F32 tensors"),
                invalid("Predict: DT_INT64 (int64_val) to a f32 input",
                        affine(typed(DataType.DT_INT64, X).addAllInt64Val(List.of(1L, 2L, 3L, 4L)).build()),
                        "input x expects F32, got I64"),
                invalid("Predict: DT_INVALID (dtype unset)", affine(x.clone().setDtype(DataType.DT_INVALID).build()),
                        "input x has no dtype (DT_INVALID)"),
                invalid("Predict: dtype 999 (no such DataType)", affine(x.clone().setDtypeValue(999).build()),
                        "input x: data type 999 is not supported"),
                invalid("Predict: DT_COMPLEX64", affine(x.clone().setDtype(DataType.DT_COMPLEX64).build()),
                        "input x: data type DT_COMPLEX64 is not supported"));
    }

    private static List<Case> shapesAndSizes() {
        return List.of(
                invalid("Predict: negative dimension [-1,4]", affine(floats(new long[] {-1, 4}, 1, 2, 3, 4)),
                        "input x has a negative dimension: [-1, 4]"),
                invalid("Predict: huge dimension [1,2^40] to [1,4]",
                        affine(floats(new long[] {1, 1L << 40}, 1, 2, 3, 4)),
                        "expects shape [1,4], got [1, 1099511627776]"),
                invalid("Predict: huge batch [2^40,4] to [?,4], 16 bytes sent",
                        dynbatch(floats(new long[] {1L << 40, 4}, 1, 2, 3, 4)),
                        "needs 17592186044416 bytes of F32, got 16"),
                invalid("Predict: element count overflowing long [2^62,4] (tensor_content)",
                        dynbatch(floats(new long[] {1L << 62, 4}, 1, 2, 3, 4)), "more elements than a tensor can hold"),
                invalid("Predict: element count overflowing long [2^62,4] (float_val)",
                        dynbatch(typed(DataType.DT_FLOAT, new long[] {1L << 62, 4}).addFloatVal(1).build()),
                        "more elements than a tensor can hold"),
                invalid("Predict: zero batch [0,4] to [?,4]", dynbatch(floats(new long[] {0, 4})),
                        "input x of shape [0, 4] has no elements"),
                invalid("Predict: rank 1 [4] to [1,4]", affine(floats(new long[] {4}, 1, 2, 3, 4)),
                        "expects shape [1,4], got [4]"),
                invalid("Predict: no tensor_shape", affine(floats(new long[0], 1, 2, 3, 4)),
                        "expects shape [1,4], got []"),
                invalid("Predict: batch of 2 to a batch-1 input",
                        affine(floats(new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8)),
                        "expects shape [1,4], got [2, 4]"),
                invalid("Predict: tensor_content too short (12 of 16 bytes)", affine(floats(X, 1, 2, 3)),
                        "needs 16 bytes of F32, got 12"),
                invalid("Predict: tensor_content too long (20 of 16 bytes)", affine(floats(X, 1, 2, 3, 4, 5)),
                        "needs 16 bytes of F32, got 20"),
                invalid("Predict: tensor_content not whole elements (15 bytes)",
                        affine(floats(X).toBuilder().setTensorContent(ByteString.copyFrom(new byte[15])).build()),
                        "needs 16 bytes of F32, got 15"),
                invalid("Predict: float_val with 3 values for [1,4]",
                        affine(typed(DataType.DT_FLOAT, X).addAllFloatVal(List.of(1f, 2f, 3f)).build()),
                        "needs 4 values in float_val, got 3"),
                invalid("Predict: float_val with 5 values for [1,4]",
                        affine(typed(DataType.DT_FLOAT, X).addAllFloatVal(List.of(1f, 2f, 3f, 4f, 5f)).build()),
                        "needs 4 values in float_val, got 5"),
                invalid("Predict: DT_FLOAT values sent in int_val",
                        affine(typed(DataType.DT_FLOAT, X).addAllIntVal(List.of(1, 2, 3, 4)).build()),
                        "needs 4 values in float_val, got 0"),
                served("Predict: NaN, +Inf, -Inf in a f32 input (computed, as OVMS does)", c -> summary(c.predict(
                        request("affine").putInputs("x", typed(DataType.DT_FLOAT, X).addAllFloatVal(List.of(
                                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f)).build()))),
                        "y = [NaN, Infinity, -Infinity, 4.0]"));
    }

    private static List<Case> inputsAndOutputs() {
        TensorProto x = floats(X, 1, 2, 3, 4);
        return List.of(
                invalid("Predict: missing input (no inputs)", predict(request("affine")),
                        "model affine needs input x [1, 4]; the request has no inputs"),
                invalid("Predict: extra unknown input z",
                        predict(request("affine").putInputs("x", x).putInputs("z", x)),
                        "model affine has no input z"),
                invalid("Predict: empty input name instead of x", predict(request("affine").putInputs("", x)),
                        "model affine needs input x [1, 4]; the request has inputs [\"\"]"),
                invalid("Predict: output_filter naming an unknown output",
                        predict(request("affine").putInputs("x", x).addOutputFilter("nope")),
                        "model affine has no output nope"));
    }

    private static List<Case> binaryImages() {
        return List.of(
                invalid("Predict: corrupt JPEG (garbage after the SOI marker)",
                        image("image", BrokenImages.jpegWithGarbageAfterTheMarker()), "image could not be decoded"),
                invalid("Predict: truncated JPEG (first half)", image("image", BrokenImages.firstHalf(NOISE_JPEG)),
                        "image is damaged"),
                invalid("Predict: truncated PNG (first half)", image("image", BrokenImages.firstHalf(NOISE_PNG)),
                        "image could not be decoded"),
                invalid("Predict: PNG header claiming 100000x100000 pixels (pixel bomb)",
                        image("image", Images.pngHeaderClaiming(100_000, 100_000)),
                        "100000x100000 pixels exceeds the limit"),
                invalid("Predict: JPEG header claiming 65000x65000 pixels (pixel bomb)",
                        image("image", BrokenImages.jpegClaiming(65_000, 65_000)),
                        "65000x65000 pixels exceeds the limit"),
                invalid("Predict: PNG header claiming 8192x8192 pixels (at the limit), no pixel data",
                        image("image", Images.pngHeaderClaiming(8192, 8192)), "image could not be decoded"),
                invalid("Predict: PNG claiming 8192x8192 pixels (at the limit) with a 10-byte IDAT",
                        image("image", BrokenImages.pngWithTinyData(8192, 8192)), "image could not be decoded"),
                invalid("Predict: BMP file", image("image", Images.solid("bmp", 8, 8, Color.ORANGE)),
                        "image is neither JPEG nor PNG (it is bmp)"),
                invalid("Predict: 64 zero bytes as an image", image("image", new byte[64]),
                        "image is neither JPEG nor PNG"),
                invalid("Predict: empty string in string_val", image("image", new byte[0]), "image is empty (0 bytes)"),
                invalid("Predict: DT_STRING with no string_val", image("image"), "takes a batch of 1 image(s), got 0"),
                invalid("Predict: DT_STRING of shape [2] holding 1 image",
                        predict(request("image").putInputs("image",
                                images(PNG).toBuilder().setTensorShape(shape(2)).build())),
                        "input image of shape [2] needs 2 entries in string_val, got 1"),
                invalid("Predict: image to a model without an image input", affine(images(PNG)), "binary images need"),
                invalid("Predict: 2 images to a batch-1 image input", image("image", PNG, PNG),
                        "takes a batch of 1 image(s), got 2"),
                served("Predict: images of different sizes in one batch (each resized to the model's 8x8)",
                        c -> "mean shape " + Arrays.toString(shapeOf(c.predict(request("image-batch").putInputs("image",
                                images(PNG, Images.solid("png", 9, 8, Color.ORANGE)))), "mean")), "mean shape [2, 3]"),
                invalid("Predict: good PNG then a corrupt one in one batch",
                        image("image-batch", PNG, BrokenImages.firstHalf(NOISE_PNG)),
                        "image 2 of 2: image could not be decoded"),
                invalid("Predict: image to the i8 input of a model with several inputs",
                        predict(request("dtypes").putInputs("i8", images(PNG))),
                        "input i8 of model dtypes takes I8 tensors"),
                invalid("Predict: image under an unknown input name",
                        predict(request("image").putInputs("img", images(PNG))),
                        "model image has no input img"));
    }

    private static List<Case> metadataAndStatus() {
        ModelSpec version7 = spec("affine").toBuilder().setVersion(Int64Value.of(7)).build();
        ModelSpec versionMinus1 = spec("affine").toBuilder().setVersion(Int64Value.of(-1)).build();
        return List.of(
                invalid("GetModelMetadata: metadata_field [\"inputs\"]",
                        c -> c.predictions().getModelMetadata(metadataRequest(spec("affine"), "inputs")),
                        "metadata_field must be [\"signature_def\"], got [inputs]"),
                invalid("GetModelMetadata: no metadata_field",
                        c -> c.predictions().getModelMetadata(metadataRequest(spec("affine"))),
                        "metadata_field must be [\"signature_def\"], got []"),
                notFound("GetModelMetadata: unknown model",
                        c -> c.predictions().getModelMetadata(metadataRequest(spec("nope"), "signature_def")),
                        "model nope is not served"),
                notFound("GetModelMetadata: unknown version (7)",
                        c -> c.predictions().getModelMetadata(metadataRequest(version7, "signature_def")),
                        "model affine version 7 is not served"),
                notFound("GetModelStatus: unknown model", c -> c.models().getModelStatus(statusRequest(spec("nope"))),
                        "model nope is not served"),
                notFound("GetModelStatus: unknown version (7)",
                        c -> c.models().getModelStatus(statusRequest(version7)),
                        "model affine version 7 is not served"),
                notFound("GetModelStatus: negative version (-1)",
                        c -> c.models().getModelStatus(statusRequest(versionMinus1)),
                        "model affine version -1 is not served"),
                invalid("GetModelStatus: empty model name", c -> c.models().getModelStatus(statusRequest(spec(""))),
                        "model name is missing"));
    }

    /** The same kinds of mistakes over the KServe v2 API (ModelInfer to affine unless said). */
    private static List<Case> kserve() {
        InferInputTensor.Builder x = kserveInput("x", "FP32", X);
        return List.of(
                invalid("ModelInfer: protobuf with its last byte cut off",
                        raw(GRPCInferenceServiceGrpc.getModelInferMethod(), cut(GOOD_INFER, 1)),
                        "the request is not a valid inference.ModelInferRequest"),
                invalid("ModelMetadata: garbage bytes", raw(GRPCInferenceServiceGrpc.getModelMetadataMethod(),
                        ascii("garbage")), "not a valid inference.ModelMetadataRequest"),
                invalid("ModelInfer: unknown datatype (FLOAT32)", infer(ModelInferRequest.newBuilder()
                        .setModelName("affine").addInputs(kserveInput("x", "FLOAT32", X))
                        .addRawInputContents(littleEndianFloats(1, 2, 3, 4))), "datatype \"FLOAT32\" is not supported"),
                invalid("ModelInfer: empty datatype", infer(ModelInferRequest.newBuilder().setModelName("affine")
                        .addInputs(kserveInput("x", "", X)).addRawInputContents(littleEndianFloats(1, 2, 3, 4))),
                        "datatype \"\" is not supported"),
                invalid("ModelInfer: INT64 to a f32 input", infer(ModelInferRequest.newBuilder().setModelName("affine")
                        .addInputs(kserveInput("x", "INT64", X).setContents(InferTensorContents.newBuilder()
                                .addAllInt64Contents(List.of(1L, 2L, 3L, 4L))))), "input x expects F32, got I64"),
                invalid("ModelInfer: 2 raw_input_contents for 1 input",
                        infer(GOOD_INFER.toBuilder().addRawInputContents(littleEndianFloats(1))),
                        "raw_input_contents has 2 entries for 1 inputs"),
                invalid("ModelInfer: raw_input_contents of 12 bytes for [1,4] FP32",
                        infer(inferAffine(littleEndianFloats(1, 2, 3))), "needs 16 bytes of F32, got 12"),
                invalid("ModelInfer: 1 value in fp32_contents for [1,4]", infer(ModelInferRequest.newBuilder()
                        .setModelName("affine").addInputs(x.clone().setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1)))), "needs 4 values in fp32_contents, got 1"),
                invalid("ModelInfer: FP32 values in int_contents", infer(ModelInferRequest.newBuilder()
                        .setModelName("affine").addInputs(x.clone().setContents(InferTensorContents.newBuilder()
                                .addAllIntContents(List.of(1, 2, 3, 4))))), "needs 4 values in fp32_contents, got 0"),
                invalid("ModelInfer: FP16 in contents (it has no typed field)", infer(ModelInferRequest.newBuilder()
                        .setModelName("affine").addInputs(kserveInput("x", "FP16", X))),
                        "FP16 has no typed field in contents"),
                invalid("ModelInfer: BYTES element whose length prefix overruns it", infer(ModelInferRequest.newBuilder()
                        .setModelName("image").addInputs(kserveInput("image", "BYTES", new long[] {1}))
                        .addRawInputContents(ByteString.copyFrom(new byte[] {100, 0, 0, 0, 1, 2}))), "cut short"),
                invalid("ModelInfer: 2 BYTES entries for shape [1]", infer(ModelInferRequest.newBuilder()
                        .setModelName("image").addInputs(kserveInput("image", "BYTES", new long[] {1})
                                .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(PNG))
                                        .addBytesContents(ByteString.copyFrom(PNG))))),
                        "needs 1 entries in contents.bytes_contents, got 2"),
                invalid("ModelInfer: negative dimension", infer(ModelInferRequest.newBuilder().setModelName("affine")
                        .addInputs(kserveInput("x", "FP32", new long[] {1, -4}))
                        .addRawInputContents(littleEndianFloats(1, 2, 3, 4))), "has a negative dimension"),
                invalid("ModelInfer: element count overflowing long [2^62,4] (fp32_contents)",
                        infer(ModelInferRequest.newBuilder().setModelName("dynbatch").addInputs(kserveInput("x", "FP32",
                                new long[] {1L << 62, 4}).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))),
                        "more elements than a tensor can hold"),
                invalid("ModelInfer: element count overflowing long [2^62,4] (raw)", infer(ModelInferRequest.newBuilder()
                        .setModelName("dynbatch").addInputs(kserveInput("x", "FP32", new long[] {1L << 62, 4}))
                        .addRawInputContents(littleEndianFloats(1))), "more elements than a tensor can hold"),
                invalid("ModelInfer: input x twice", infer(GOOD_INFER.toBuilder().addInputs(x)
                        .addRawInputContents(littleEndianFloats(1, 2, 3, 4))), "appears more than once"),
                invalid("ModelInfer: version \"latest\" (no number)", infer(GOOD_INFER.toBuilder().setModelVersion("latest")),
                        "version \"latest\" is not a number"),
                notFound("ModelInfer: unknown version (7)", infer(GOOD_INFER.toBuilder().setModelVersion("7")),
                        "model affine version 7 is not served"),
                notFound("ModelInfer: unknown model", infer(GOOD_INFER.toBuilder().setModelName("nope")),
                        "model nope is not served"),
                invalid("ModelInfer: empty model name", infer(GOOD_INFER.toBuilder().setModelName("")),
                        "model name is missing"),
                invalid("ModelInfer: outputs naming an unknown output", infer(GOOD_INFER.toBuilder()
                        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("nope"))),
                        "model affine has no output nope"),
                served("ModelInfer: NaN, +Inf, -Inf in FP32 raw_input_contents (computed, as OVMS does)",
                        c -> "y = " + Arrays.toString(floatsOf(c.kserve().modelInfer(inferAffine(littleEndianFloats(
                                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1)).build()).getRawOutputContents(0))),
                        "y = [NaN, Infinity, -Infinity, 4.0]"),
                notFound("ModelReady: unknown model", c -> c.kserve().modelReady(ModelReadyRequest.newBuilder()
                        .setName("nope").build()), "model nope is not served"));
    }

    private static Case invalid(String request, Function<Calls, Object> send, String says) {
        return new Case(request, Status.Code.INVALID_ARGUMENT, says, send);
    }

    private static Case notFound(String request, Function<Calls, Object> send, String says) {
        return new Case(request, Status.Code.NOT_FOUND, says, send);
    }

    private static Case served(String request, Function<Calls, Object> send, String says) {
        return new Case(request, Status.Code.OK, says, send);
    }

    private static Function<Calls, Object> raw(MethodDescriptor<?, ?> method, byte[] request) {
        return c -> c.raw(method, request);
    }

    private static Function<Calls, Object> predict(PredictRequest.Builder request) {
        return c -> c.predict(request);
    }

    private static Function<Calls, Object> affine(TensorProto x) {
        return predict(request("affine").putInputs("x", x));
    }

    private static Function<Calls, Object> dynbatch(TensorProto x) {
        return predict(request("dynbatch").putInputs("x", x));
    }

    /** Binary images to the 8x8 image models' input {@code image}. */
    private static Function<Calls, Object> image(String model, byte[]... files) {
        return predict(request(model).putInputs("image", images(files)));
    }

    private static Function<Calls, Object> infer(ModelInferRequest.Builder request) {
        return c -> c.kserve().modelInfer(request.build());
    }

    private static ModelInferRequest.Builder inferAffine(ByteString x) {
        return ModelInferRequest.newBuilder().setModelName("affine").addInputs(kserveInput("x", "FP32", X))
                .addRawInputContents(x);
    }

    private static InferInputTensor.Builder kserveInput(String name, String datatype, long[] dims) {
        return InferInputTensor.newBuilder().setName(name).setDatatype(datatype)
                .addAllShape(Arrays.stream(dims).boxed().toList());
    }

    private static MethodDescriptor<?, ?> predictMethod() {
        return PredictionServiceGrpc.getPredictMethod();
    }

    private static MethodDescriptor<?, ?> metadataMethod() {
        return PredictionServiceGrpc.getGetModelMetadataMethod();
    }

    private static MethodDescriptor<?, ?> statusMethod() {
        return ModelServiceGrpc.getGetModelStatusMethod();
    }

    private static ModelSpec spec(String model) {
        return ModelSpec.newBuilder().setName(model).build();
    }

    private static GetModelMetadataRequest metadataRequest(ModelSpec spec, String... fields) {
        return GetModelMetadataRequest.newBuilder().setModelSpec(spec).addAllMetadataField(List.of(fields)).build();
    }

    private static GetModelStatusRequest statusRequest(ModelSpec spec) {
        return GetModelStatusRequest.newBuilder().setModelSpec(spec).build();
    }

    private static TensorProto.Builder typed(DataType type, long[] dims) {
        return TensorProto.newBuilder().setDtype(type).setTensorShape(shape(dims));
    }

    private static PredictRequest.Builder withUnknownFields() {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(42).build()).build();
        return GOOD.toBuilder().setUnknownFields(unknown)
                .putInputs("x", GOOD.getInputsOrThrow("x").toBuilder().setUnknownFields(unknown).build());
    }

    private static String summary(PredictResponse response) {
        return "y = " + Arrays.toString(floatsOf(response, "y"));
    }

    /**
     * A Predict of affine whose input x holds, after its dtype and shape, a tensor_content (field 4) claiming
     * 2^40 bytes and none of them: protobuf reads a length as 32 bits, which would make this claim 0.
     */
    private static byte[] contentClaiming2To40Bytes() {
        try {
            ByteString.Output tensor = ByteString.newOutput();
            floats(X).writeTo(tensor);
            CodedOutputStream claim = CodedOutputStream.newInstance(tensor);
            claim.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            claim.writeUInt64NoTag(1L << 40);
            claim.flush();
            ByteString.Output entry = ByteString.newOutput();
            CodedOutputStream input = CodedOutputStream.newInstance(entry);
            input.writeString(1, "x");
            input.writeBytes(2, tensor.toByteString());
            input.flush();
            ByteString.Output message = ByteString.newOutput();
            request("affine").build().writeTo(message);
            CodedOutputStream inputs = CodedOutputStream.newInstance(message);
            inputs.writeBytes(2, entry.toByteString());
            inputs.flush();
            return message.toByteString().toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] cut(Message message, int bytes) {
        byte[] whole = message.toByteArray();
        return Arrays.copyOf(whole, whole.length - bytes);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
