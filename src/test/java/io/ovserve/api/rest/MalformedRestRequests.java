package io.ovserve.api.rest;

import io.ovserve.support.BrokenImages;
import io.ovserve.support.DtypesJson;
import io.ovserve.support.Images;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The malformed requests of the REST sweep ({@link MalformedRestRequestsTest}), over both REST APIs:
 * each with the HTTP status it must be answered with and words its {@code "error"} must hold. Most go
 * to {@code affine} (input x [1,4] f32, output y = 3x + 1) or the 8x8 image models.
 */
final class MalformedRestRequests {

    /** One request: a method, a path, headers and a body, with what it must be answered. */
    record Case(String request, int expected, String says, String method, String path, Map<String, Object> headers,
            byte[] body) {
    }

    private static final String INFER = "/v2/models/affine/infer";
    private static final String PREDICT = "/v1/models/affine:predict";
    private static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private MalformedRestRequests() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(kserveBodies());
        cases.addAll(kserveInputs());
        cases.addAll(kserveBinary());
        cases.addAll(tfs());
        return cases;
    }

    private static List<Case> kserveBodies() {
        return List.of(
                post("KServe: body that is not JSON", INFER, "not JSON at all", 400, "JSON does not parse"),
                post("KServe: JSON cut short", INFER, "{\"inputs\": [{\"name\": \"x\"", 400, "JSON does not parse"),
                post("KServe: empty body", INFER, "", 400, "not a JSON object"),
                post("KServe: a JSON array, not an object", INFER, "[1, 2, 3, 4]", 400, "not a JSON object"),
                post("KServe: a key twice in one object", INFER,
                        "{\"inputs\": [" + input("[1, 4]", "FP32", "[1, 2, 3, 4]") + "], \"inputs\": []}", 400,
                        "Duplicate field 'inputs'"),
                post("KServe: no \"inputs\"", INFER, "{\"id\": \"1\"}", 400, "needs \"inputs\""),
                post("KServe: \"inputs\" not an array", INFER, "{\"inputs\": {\"x\": 1}}", 400, "needs \"inputs\""),
                post("KServe: an input that is not an object", INFER, "{\"inputs\": [7]}", 400, "is an object"),
                post("KServe: unknown model", "/v2/models/nope/infer", affine("[1, 4]", "FP32", "[1, 2, 3, 4]"), 404,
                        "model nope is not served"),
                post("KServe: version that is no number", "/v2/models/affine/versions/latest/infer",
                        affine("[1, 4]", "FP32", "[1, 2, 3, 4]"), 400, "is not a number"),
                post("KServe: version not served", "/v2/models/affine/versions/7/infer",
                        affine("[1, 4]", "FP32", "[1, 2, 3, 4]"), 404, "version 7"));
    }

    private static List<Case> kserveInputs() {
        return List.of(
                post("KServe: input without a name", INFER,
                        "{\"inputs\": [{\"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}", 400,
                        "needs \"name\""),
                post("KServe: input without a shape", INFER,
                        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}", 400,
                        "needs \"shape\""),
                post("KServe: negative dimension", INFER, affine("[1, -4]", "FP32", "[1, 2, 3, 4]"), 400,
                        "negative dimension"),
                post("KServe: dimension that is not an integer", INFER, affine("[1, \"4\"]", "FP32", "[1, 2, 3, 4]"),
                        400, "not a list of integers"),
                post("KServe: element count that overflows", INFER,
                        affine("[4611686018427387904, 4611686018427387904]", "FP32", "[1, 2, 3, 4]"), 400,
                        "more elements than a tensor can hold"),
                post("KServe: unknown datatype", INFER, affine("[1, 4]", "FP33", "[1, 2, 3, 4]"), 400,
                        "datatype \"FP33\" is not supported"),
                post("KServe: datatype other than the model's", INFER, affine("[1, 4]", "INT32", "[1, 2, 3, 4]"), 400,
                        "expects F32, got I32"),
                post("KServe: FP32 value beyond its range", INFER, affine("[1, 4]", "FP32", "[1, 2, 1e39, 4]"), 400,
                        "within F32's range"),
                post("KServe: JSON beyond ovserve.rest.max-json-size", INFER,
                        "{\"inputs\": [], \"pad\": \"" + "x".repeat(17 << 20) + "\"}", 400, "ovserve.rest.max-json-size"),
                post("KServe: a string among FP32 values", INFER, affine("[1, 4]", "FP32", "[1, 2, \"3\", 4]"), 400,
                        "is not a number (F32)"),
                post("KServe: 3 values for shape [1, 4]", INFER, affine("[1, 4]", "FP32", "[1, 2, 3]"), 400,
                        "needs 4 values"),
                post("KServe: wrong shape, values to match", INFER, affine("[1, 3]", "FP32", "[1, 2, 3]"), 400,
                        "expects shape"),
                post("KServe: INT8 value beyond its range", "/v2/models/dtypes/infer",
                        DtypesJson.kserveWith("i8", "[1, 2, 300, 4]"), 400, "an integer from -128 to 127"),
                post("KServe: no data and no binary_data_size", INFER,
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\"}]}", 400,
                        "neither \"data\" nor"),
                post("KServe: input the model does not have", INFER,
                        "{\"inputs\": [{\"name\": \"z\", \"shape\": [1, 4], \"datatype\": \"FP32\", "
                                + "\"data\": [1, 2, 3, 4]}]}", 400, "z"),
                post("KServe: the same input twice", INFER,
                        "{\"inputs\": [" + input("[1, 4]", "FP32", "[1, 2, 3, 4]") + ", "
                                + input("[1, 4]", "FP32", "[1, 2, 3, 4]") + "]}", 400, "appears more than once"),
                post("KServe: output the model does not have", INFER,
                        "{\"inputs\": [" + input("[1, 4]", "FP32", "[1, 2, 3, 4]") + "], "
                                + "\"outputs\": [{\"name\": \"w\"}]}", 400, "has no output w"));
    }

    private static List<Case> kserveBinary() {
        byte[] png = Images.solid("png", 8, 8, Color.ORANGE);
        String oneImage = "{\"inputs\": [{\"name\": \"image\", \"shape\": [%s], \"datatype\": \"BYTES\", "
                + "\"parameters\": {\"binary_data_size\": %s}}]}";
        String binaryX = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": %s}}]}";
        return List.of(
                binary("KServe: Inference-Header-Content-Length not a number", INFER, "sixteen",
                        affine("[1, 4]", "FP32", "[1, 2, 3, 4]").getBytes(StandardCharsets.UTF_8), 400,
                        "not a number of bytes"),
                binary("KServe: Inference-Header-Content-Length beyond the body", INFER, 100_000,
                        affine("[1, 4]", "FP32", "[1, 2, 3, 4]").getBytes(StandardCharsets.UTF_8), 400,
                        "but the body has"),
                withBinary("KServe: binary_data_size beyond the body", INFER, binaryX.formatted("64"),
                        floats(1, 2, 3, 4), 400, "more than the 16 bytes left"),
                withBinary("KServe: negative binary_data_size", INFER, binaryX.formatted("-16"), floats(1, 2, 3, 4),
                        400, "binary_data_size is a number of bytes"),
                withBinary("KServe: binary_data_size list whose sum overflows a long", "/v2/models/image/infer",
                        oneImage.formatted("2", "[9223372036854775807, 2]"), png, 400, "is more than the"),
                withBinary("KServe: binary_data_size beyond a long", INFER, binaryX.formatted("18446744073709551616"),
                        floats(1, 2, 3, 4), 400, "binary_data_size is a number of bytes"),
                withBinary("KServe: binary data no input claims", INFER, affine("[1, 4]", "FP32", "[1, 2, 3, 4]"),
                        floats(1, 2, 3, 4), 400, "are not claimed by any input"),
                withBinary("KServe: 12 bytes of FP32 for shape [1, 4]", INFER, binaryX.formatted("12"),
                        BrokenImages.firstHalf(floats(1, 2, 3, 4, 5, 6)), 400, "16"),
                withBinary("KServe: corrupt image", "/v2/models/image/infer", oneImage.formatted("1", "5"),
                        "hello".getBytes(StandardCharsets.UTF_8), 400, "image"),
                withBinary("KServe: truncated PNG", "/v2/models/image/infer",
                        oneImage.formatted("1", BrokenImages.firstHalf(png).length), BrokenImages.firstHalf(png), 400, "image"),
                withBinary("KServe: shape [2] with one image", "/v2/models/image-batch/infer",
                        oneImage.formatted("2", png.length), png, 400, "needs 2 entries"),
                withBinary("KServe: pixel bomb (PNG header claiming 100000x100000)", "/v2/models/image/infer",
                        oneImage.formatted("1", Images.pngHeaderClaiming(100_000, 100_000).length),
                        Images.pngHeaderClaiming(100_000, 100_000), 400, "pixels"));
    }

    private static List<Case> tfs() {
        String b64 = "{\"instances\": [{\"b64\": \"%s\"}]}";
        return List.of(
                post("TFS: body that is not JSON", PREDICT, "instances=1", 400, "JSON does not parse"),
                post("TFS: neither \"instances\" nor \"inputs\"", PREDICT, "{\"signature_name\": \"\"}", 400,
                        "exactly one of"),
                post("TFS: both \"instances\" and \"inputs\"", PREDICT,
                        "{\"instances\": [[1, 2, 3, 4]], \"inputs\": [[1, 2, 3, 4]]}", 400, "exactly one of"),
                post("TFS: empty \"instances\"", PREDICT, "{\"instances\": []}", 400, "non-empty list"),
                post("TFS: lists that are not rectangular", PREDICT, "{\"inputs\": {\"x\": [[1, 2, 3, 4], [1]]}}",
                        400, "not rectangular"),
                post("TFS: lists nested deeper than a shape may be", PREDICT,
                        "{\"instances\": " + "[".repeat(100) + "]".repeat(100) + "}", 400, "nesting depth"),
                post("TFS: input the model does not have", PREDICT, "{\"inputs\": {\"z\": [[1, 2, 3, 4]]}}", 400,
                        "no input z"),
                post("TFS: a boolean for an f32 input", PREDICT, "{\"inputs\": {\"x\": [[1, 2, true, 4]]}}", 400,
                        "is not a number (F32)"),
                post("TFS: wrong shape", PREDICT, "{\"instances\": [[1, 2, 3]]}", 400, "expects shape"),
                post("TFS: instances mixing named inputs and bare values", PREDICT,
                        "{\"instances\": [{\"x\": [1, 2, 3, 4]}, [1, 2, 3, 4]]}", 400, "mixes"),
                post("TFS: \"b64\" that is not base64", "/v1/models/image:predict", b64.formatted("not base64!"), 400,
                        "not base64"),
                post("TFS: \"b64\" of a corrupt image", "/v1/models/image:predict",
                        b64.formatted(Base64.getEncoder().encodeToString(BrokenImages.firstHalf(Images.noise("jpg", 64, 64)))), 400, "image"),
                post("TFS: a method other than :predict", "/v1/models/affine:classify", "{\"instances\": [[1, 2, 3, 4]]}",
                        400, "the one method served"),
                post("TFS: unknown model", "/v1/models/nope:predict", "{\"instances\": [[1, 2, 3, 4]]}", 404,
                        "model nope is not served"),
                get("TFS: status of an unknown model", "/v1/models/nope", 404, "model nope is not served"),
                get("TFS: metadata of a version that is no number", "/v1/models/affine/versions/x/metadata", 400,
                        "is not a number"));
    }

    private static String input(String shape, String datatype, String data) {
        return "{\"name\": \"x\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"data\": " + data + "}";
    }

    private static String affine(String shape, String datatype, String data) {
        return "{\"inputs\": [" + input(shape, datatype, data) + "]}";
    }

    private static byte[] floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return bytes.array();
    }

    private static Case post(String request, String path, String body, int expected, String says) {
        return new Case(request, expected, says, "POST", path, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static Case get(String request, String path, int expected, String says) {
        return new Case(request, expected, says, "GET", path, Map.of(), new byte[0]);
    }

    private static Case binary(String request, String path, Object headerLength, byte[] body, int expected,
            String says) {
        return new Case(request, expected, says, "POST", path, Map.of(HEADER_LENGTH, headerLength), body);
    }

    /** JSON then binary data, the header giving the JSON's length. */
    private static Case withBinary(String request, String path, String json, byte[] data, int expected, String says) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header);
        body.writeBytes(data);
        return binary(request, path, header.length, body.toByteArray(), expected, says);
    }
}
