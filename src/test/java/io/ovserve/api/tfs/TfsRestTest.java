package io.ovserve.api.tfs;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ovserve.support.Images;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow Serving's REST API on the HTTP port, as OVMS serves it: status, metadata in protobuf's
 * JSON form, predict in rows and in columns, images in base64. Failures are answered with their HTTP
 * status and {@code {"error": ...}}.
 */
@QuarkusTest
class TfsRestTest extends ServingTest {

    private static String b64Png(Color color) {
        return Base64.getEncoder().encodeToString(Images.solid("png", 8, 8, color));
    }

    @Test
    void statusListsTheServedVersionAvailable() {
        get("/v1/models/affine").then().statusCode(200)
                .body("model_version_status[0].state", equalTo("AVAILABLE"))
                .body("model_version_status[0].status.error_code", equalTo("OK"));
    }

    @Test
    void metadataIsTheSignatureAsOvmsWritesIt() {
        get("/v1/models/affine/versions/0/metadata").then().statusCode(200)
                .body("modelSpec.name", equalTo("affine"))
                .body("metadata.signature_def.signatureDef.serving_default.inputs.x.dtype", equalTo("DT_FLOAT"))
                .body("metadata.signature_def.signatureDef.serving_default.inputs.x.tensorShape.dim.size",
                        contains("1", "4"));
    }

    @Test
    void rowsAreAnsweredWithPredictions() {
        given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict").then().statusCode(200)
                .body("predictions", contains(List.of(4f, 7f, 10f, 13f)));
    }

    @Test
    void theColonBeforePredictMayComeEncodedOrAsItIs() {
        String body = "{\"instances\": [[1, 2, 3, 4]]}";
        given().urlEncodingEnabled(false).body(body).post("/v1/models/affine:predict").then().statusCode(200);
        given().urlEncodingEnabled(false).body(body).post("/v1/models/affine%3Apredict").then().statusCode(200);
        given().urlEncodingEnabled(false).body(body).post("/v1/models/affine/versions/2:predict").then().statusCode(200);
        given().urlEncodingEnabled(false).body(body).post("/v1/models/affine:classify").then().statusCode(400)
                .body("error", containsString(":predict, the one method served"));
    }

    @Test
    void columnsAreAnsweredWithOutputsNested() {
        given().body("{\"inputs\": {\"x\": [[1, 2, 3, 4]]}}").post("/v1/models/affine/versions/0:predict").then()
                .statusCode(200).body("outputs", contains(List.of(4f, 7f, 10f, 13f)));
    }

    @Test
    void eachNumberTakesTheTypeOfItsModelInputAndOutputsAreNamedWhenSeveral() {
        given().body("{\"inputs\": {\"f16\": [[1, 1, 1, 1]], \"u64\": [[1, 1, 1, 1]], \"bool\": [[true, true, true, true]]}}")
                .post("/v1/models/dtypes:predict").then().statusCode(400).body("error", containsString("needs input"));
        // every input of the model given: one output per input, each named
        StringBuilder all = new StringBuilder("{\"inputs\": {");
        for (String name : List.of("f32", "f16", "f64", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64")) {
            all.append('"').append(name).append("\": [[1, 1, 1, 1]], ");
        }
        all.append("\"bool\": [[true, true, true, true]]}}");
        given().body(all.toString()).post("/v1/models/dtypes:predict").then().statusCode(200)
                .body("outputs.f16_out", contains(List.of(2f, 2f, 2f, 2f)))
                .body("outputs.u64_out", contains(List.of(2f, 2f, 2f, 2f)))
                .body("outputs.bool_out", contains(List.of(2f, 2f, 2f, 2f)));
    }

    @Test
    void rowsOfABatchAreAnsweredOnePredictionEach() {
        given().body("{\"instances\": [[1, 2, 3, 4], [0, 0, 0, 1], [2, 2, 2, 2]]}").post("/v1/models/dynbatch:predict")
                .then().statusCode(200).body("predictions", contains(List.of(3f, 5f, 7f, 9f), List.of(1f, 1f, 1f, 3f),
                        List.of(5f, 5f, 5f, 5f))); // dynbatch: y = 2x + 1
    }

    @Test
    void rowsOfSeveralOutputsAreNamedInEachPrediction() {
        StringBuilder instance = new StringBuilder("{");
        for (String name : List.of("f32", "f16", "f64", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64")) {
            instance.append('"').append(name).append("\": [3, 3, 3, 3], ");
        }
        instance.append("\"bool\": [false, false, false, false]}");
        given().body("{\"instances\": [" + instance + "]}").post("/v1/models/dtypes:predict").then().statusCode(200)
                .body("predictions[0].i8_out", contains(4f, 4f, 4f, 4f))
                .body("predictions[0].bool_out", contains(1f, 1f, 1f, 1f))
                .body("predictions[0].keySet().size()", equalTo(12));
    }

    @Test
    void imagesInBase64AreDecodedOneEach() {
        given().body("{\"instances\": [{\"b64\": \"%s\"}, {\"b64\": \"%s\"}]}".formatted(
                b64Png(new Color(255, 128, 10)), b64Png(Color.BLACK)))
                .post("/v1/models/image-batch:predict").then().statusCode(200)
                .body("predictions", contains(List.of(10f, 128f, 255f), List.of(0f, 0f, 0f)));
    }

    @Test
    void listsThatAreNotRectangularAre400() {
        given().body("{\"inputs\": {\"x\": [[1, 2, 3, 4], [1, 2]]}}").post("/v1/models/affine:predict").then()
                .statusCode(400).body("error", containsString("not rectangular"));
        assertStillServes();
    }

    @Test
    void anInputTheModelDoesNotHaveIs400NamingItsInputs() {
        given().body("{\"inputs\": {\"z\": [[1, 2, 3, 4]]}}").post("/v1/models/affine:predict").then()
                .statusCode(400).body("error", containsString("no input z"));
    }

    @Test
    void bothFormatsOrNeitherIs400() {
        given().body("{\"inputs\": [[1, 2, 3, 4]], \"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict")
                .then().statusCode(400).body("error", containsString("exactly one of"));
        given().body("[1, 2]").post("/v1/models/affine:predict").then().statusCode(400);
    }

    @Test
    void anUnknownModelIs404AndAVersionThatIsNoNumber400() {
        get("/v1/models/nope").then().statusCode(404).body("error", containsString("nope"));
        given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/nope:predict").then().statusCode(404);
        get("/v1/models/affine/versions/x/metadata").then().statusCode(400);
        assertStillServes();
    }
}
