package io.ovserve.api.kserve;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ovserve.support.DtypesJson;
import io.ovserve.support.Images;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The KServe v2 REST API on the HTTP port: JSON both ways, and the binary data extension as Triton's
 * and OVMS's clients use it. Each failure is answered with its HTTP status and {@code {"error": ...}},
 * and the server still serves the next request.
 */
@QuarkusTest
class KServeRestTest extends ServingTest {

    private static final String AFFINE_JSON = """
            {"id": "r-1", "inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}""";

    /** A body in the binary data extension: the JSON, then the binary parts, with the header giving the JSON's length. */
    private static Response binary(String path, String json, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        Arrays.stream(parts).forEach(body::writeBytes);
        return given().header(InferJson.HEADER_LENGTH, json.getBytes(StandardCharsets.UTF_8).length)
                .body(body.toByteArray()).post(path);
    }

    private static byte[] littleEndianFloats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return bytes.array();
    }

    private void assertStillServesOverRest() {
        given().body(AFFINE_JSON).post("/v2/models/affine/infer").then().statusCode(200)
                .body("outputs[0].data", contains(4f, 7f, 10f, 13f));
        assertStillServes();
    }

    @Test
    void serverSaysItIsLiveAndReadyInJsonBodiesAsTheKServeSdkReadsThem() {
        get("/v2/health/live").then().statusCode(200).contentType("application/json").body("live", equalTo(true));
        get("/v2/health/ready").then().statusCode(200).contentType("application/json").body("ready", equalTo(true));
    }

    @Test
    void serverMetadataNamesTheBinaryDataExtension() {
        get("/v2").then().statusCode(200).body("name", equalTo("ovserve"))
                .body("extensions", contains("binary_tensor_data"));
    }

    @Test
    void modelMetadataListsTheInputsAndOutputs() {
        get("/v2/models/affine").then().statusCode(200)
                .body("name", equalTo("affine")).body("platform", equalTo("OpenVINO"))
                .body("inputs[0].name", equalTo("x")).body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", contains(1, 4)).body("outputs[0].name", equalTo("y"));
    }

    @Test
    void aServedModelIsReadyInTheProtocolsBodyAndAnUnknownOneIsNotFound() {
        get("/v2/models/affine/ready").then().statusCode(200).contentType("application/json")
                .body("name", equalTo("affine")).body("ready", equalTo(true));
        get("/v2/models/affine/versions/2/ready").then().statusCode(200).body("name", equalTo("affine"))
                .body("ready", equalTo(true));
        get("/v2/models/nope/ready").then().statusCode(404).body("error", containsString("nope"));
        get("/v2/models/affine/versions/9/ready").then().statusCode(404);
    }

    @Test
    void inferInJsonAnswersInJsonWithTheRequestId() {
        given().body(AFFINE_JSON).post("/v2/models/affine/infer").then().statusCode(200)
                .body("model_name", equalTo("affine")).body("id", equalTo("r-1"))
                .body("outputs[0].name", equalTo("y")).body("outputs[0].datatype", equalTo("FP32"))
                .body("outputs[0].shape", contains(1, 4)).body("outputs[0].data", contains(4f, 7f, 10f, 13f));
    }

    @Test
    void inferWithBinaryInputAndBinaryOutput() {
        Response response = binary("/v2/models/affine/infer", """
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": 16}}],
                 "outputs": [{"name": "y", "parameters": {"binary_data": true}}]}""", littleEndianFloats(1, 2, 3, 4));

        assertThat(response.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(response.header(InferJson.HEADER_LENGTH));
        byte[] body = response.asByteArray();
        String json = new String(body, 0, jsonLength, StandardCharsets.UTF_8);
        assertThat(json).contains("\"binary_data_size\":16").doesNotContain("\"data\"");
        assertThat(Arrays.copyOfRange(body, jsonLength, body.length)).isEqualTo(littleEndianFloats(4, 7, 10, 13));
    }

    @Test
    void binaryDataOutputAppliesToEveryOutputNotNamedOtherwise() {
        Response response = given().body("""
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}],
                 "parameters": {"binary_data_output": true}}""").post("/v2/models/affine/infer");

        assertThat(response.header(InferJson.HEADER_LENGTH)).isNotNull();
        byte[] body = response.asByteArray();
        assertThat(Arrays.copyOfRange(body, body.length - 16, body.length)).isEqualTo(littleEndianFloats(4, 7, 10, 13));
    }

    @Test
    void anOutputsOwnBinaryDataFlagOverridesTheRequestsDefault() {
        given().body("""
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}],
                 "outputs": [{"name": "y", "parameters": {"binary_data": false}}],
                 "parameters": {"binary_data_output": true}}""").post("/v2/models/affine/infer").then().statusCode(200)
                .header(InferJson.HEADER_LENGTH, (String) null).body("outputs[0].data", contains(4f, 7f, 10f, 13f));
    }

    @Test
    void anImageAsItsOwnBytesIsDecodedAsOvmsTakesIt() {
        byte[] png = Images.solid("png", 8, 8, new Color(255, 128, 10));

        binary("/v2/models/image/infer", """
                {"inputs": [{"name": "image", "shape": [1], "datatype": "BYTES",
                 "parameters": {"binary_data_size": %d}}]}""".formatted(png.length), png)
                .then().statusCode(200).body("outputs[0].data", contains(10f, 128f, 255f));
    }

    @Test
    void imagesLengthPrefixedAsTritonSendsBytesAreDecodedOneEach() {
        byte[] png = Images.solid("png", 8, 8, new Color(255, 128, 10));
        byte[] prefixed = ByteBuffer.allocate(4 + png.length).order(ByteOrder.LITTLE_ENDIAN).putInt(png.length)
                .put(png).array();

        binary("/v2/models/image/infer", """
                {"inputs": [{"name": "image", "shape": [1], "datatype": "BYTES",
                 "parameters": {"binary_data_size": %d}}]}""".formatted(prefixed.length), prefixed)
                .then().statusCode(200).body("outputs[0].data", contains(10f, 128f, 255f));
    }

    @Test
    void aBatchOfImagesSplitByAListOfSizes() {
        byte[] orange = Images.solid("png", 8, 8, new Color(255, 128, 10));
        byte[] black = Images.solid("png", 8, 8, Color.BLACK);

        binary("/v2/models/image-batch/infer", """
                {"inputs": [{"name": "image", "shape": [2], "datatype": "BYTES",
                 "parameters": {"binary_data_size": [%d, %d]}}]}""".formatted(orange.length, black.length), orange, black)
                .then().statusCode(200).body("outputs[0].data", contains(10f, 128f, 255f, 0f, 0f, 0f));
    }

    @Test
    void aGzipBodyIsDecompressed() throws Exception {
        given().header("Content-Encoding", "gzip").body(gzip(AFFINE_JSON.getBytes(StandardCharsets.UTF_8)))
                .post("/v2/models/affine/infer").then().statusCode(200).body("outputs[0].data", contains(4f, 7f, 10f, 13f));
    }

    @Test
    void aGzipBodyInflatingBeyondTheBodyLimitIs413AndHarmsNothing() throws Exception {
        byte[] bomb = new byte[120 << 20]; // 120 MB of spaces, beyond the 100 MB limit once inflated: ~120 KB sent
        java.util.Arrays.fill(bomb, (byte) ' ');

        given().header("Content-Encoding", "gzip").body(gzip(bomb)).post("/v2/models/affine/infer").then()
                .statusCode(413);
        assertStillServesOverRest();
    }

    private static byte[] gzip(byte[] bytes) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void jsonThatDoesNotParseIs400SayingSo() {
        given().body("{\"inputs\": [").post("/v2/models/affine/infer").then().statusCode(400)
                .body("error", containsString("JSON does not parse"));
        assertStillServesOverRest();
    }

    @Test
    void aValueOfTheWrongKindIs400NamingIt() {
        given().body("""
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, "three", 4]}]}""")
                .post("/v2/models/affine/infer").then().statusCode(400)
                .body("error", containsString("value 2 (\"three\") is not a number (F32)"));
        assertStillServesOverRest();
    }

    @Test
    void anIntegerOutOfItsTypesRangeIs400() {
        given().body(DtypesJson.kserveWith("i8", "[1, 2, 300, 4]")).post("/v2/models/dtypes/infer").then()
                .statusCode(400)
                .body("error", containsString("an integer from -128 to 127"));
    }

    @Test
    void binaryDataSizeBeyondTheBodyIs400() {
        binary("/v2/models/affine/infer", """
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": 32}}]}""",
                littleEndianFloats(1, 2, 3, 4)).then().statusCode(400)
                .body("error", containsString("binary_data_size 32 is more than the 16 bytes left"));
        assertStillServesOverRest();
    }

    @Test
    void bytesNoInputClaimsAre400() {
        binary("/v2/models/affine/infer", AFFINE_JSON, new byte[8]).then().statusCode(400)
                .body("error", containsString("8 bytes after the JSON are not claimed"));
    }

    @Test
    void aHeaderLengthBeyondTheBodyIs400() {
        given().header(InferJson.HEADER_LENGTH, 10_000).body(AFFINE_JSON).post("/v2/models/affine/infer")
                .then().statusCode(400).body("error", containsString(InferJson.HEADER_LENGTH));
    }

    @Test
    void aWrongShapeIs400AndAnUnknownModel404AndAVersionThatIsNoNumber400() {
        given().body(AFFINE_JSON.replace("[1, 4]", "[1, 3]")).post("/v2/models/affine/infer").then().statusCode(400)
                .body("error", containsString("shape"));
        given().body(AFFINE_JSON).post("/v2/models/nope/infer").then().statusCode(404);
        given().body(AFFINE_JSON).post("/v2/models/affine/versions/one/infer").then().statusCode(400)
                .body("error", containsString("not a number"));
        assertStillServesOverRest();
    }
}
