package io.ovserve.api.kserve;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import io.ovserve.api.ModelRefs;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.inference.ServingException;
import io.ovserve.model.ModelManager;
import io.ovserve.support.LargeBodies;
import io.ovserve.support.ParseCost;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * KServe REST requests that a JSON tree or translation would expand to many times their bytes are
 * refused from their counts, before any value is built: reading one allocates less than its own bytes,
 * the caller gets the status and message that say why, and the next request is served.
 */
@QuarkusTest
class InferJsonExpansionTest extends ServingTest {

    private static final String AFFINE_JSON = """
            {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""";

    @Inject
    JsonBodies bodies;
    @Inject
    ModelManager models;

    @Test
    void sixteenMegabytesOfZerosForAResnetInputAreRefusedBeforeTheyAreParsedIntoATree() {
        int zeros = 8_000_000;
        String json = "{\"inputs\": [{\"name\": \"0\", \"shape\": [1, 3, 224, 224], \"datatype\": \"FP32\", \"data\": ["
                + "0,".repeat(zeros - 1) + "0]}]}";

        assertRefusedCheaply("resnet", json.getBytes(StandardCharsets.UTF_8), OptionalInt.empty(), 400,
                "needs 150528 values in data, got " + zeros);
    }

    @Test
    void twentyFiveMillionEmptyLengthPrefixedImagesAreRefusedBeforeTheyAreSliced() {
        int elements = 25_000_000;
        String json = "{\"inputs\": [{\"name\": \"image\", \"shape\": [" + elements + "], \"datatype\": \"BYTES\", "
                + "\"parameters\": {\"binary_data_size\": " + 4 * elements + "}}]}";

        assertRefusedCheaply("image", withBinary(json, new byte[4 * elements]), jsonLength(json), 400,
                "takes a batch of 1 image(s), got " + elements);
    }

    @Test
    void aListOfMillionsOfEmptyImageSizesIsRefusedBeforeAnyImageIsSliced() {
        int images = 5_000_000;
        String json = "{\"inputs\": [{\"name\": \"image\", \"shape\": [" + images + "], \"datatype\": \"BYTES\", "
                + "\"parameters\": {\"binary_data_size\": [" + "0,".repeat(images - 1) + "0]}}]}";

        assertRefusedCheaply("image", withBinary(json, new byte[0]), jsonLength(json), 400,
                "takes a batch of 1 image(s), got " + images);
    }

    @Test
    void millionsOfEmptyStringsForABatchOfOneImageAreRefusedBeforeTheyAreBuilt() {
        int strings = 5_000_000;
        String json = "{\"inputs\": [{\"name\": \"image\", \"shape\": [" + strings + "], \"datatype\": \"BYTES\", "
                + "\"data\": [" + "\"\",".repeat(strings - 1) + "\"\"]}]}";

        assertRefusedCheaply("image", json.getBytes(StandardCharsets.UTF_8), OptionalInt.empty(), 400,
                "takes a batch of 1 image(s), got " + strings);
    }

    @Test
    void thousandsOfListsNestedHundredsDeepAreRefusedAtTheFirst() {
        String deep = "[".repeat(900) + "]".repeat(900);
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": ["
                + (deep + ",").repeat(8_000) + deep + "]}]}";

        assertRefusedCheaply("affine", json.getBytes(StandardCharsets.UTF_8), OptionalInt.empty(), 400,
                "nesting depth");
    }

    private void assertRefusedCheaply(String model, byte[] body, OptionalInt headerLength, int status, String says) {
        AtomicReference<ServingException> refusal = new AtomicReference<>();
        long allocated = ParseCost.allocated(() -> {
            try {
                InferJson.toInference(ModelRefs.parse(model, ""), bodies, body, headerLength, models);
            } catch (ServingException refused) {
                refusal.set(refused);
            }
        });
        assertThat(refusal.get()).as("refused").isNotNull();
        assertThat(refusal.get().getMessage()).contains(says);
        assertThat(allocated).as("bytes allocated to refuse %d bytes", body.length).isLessThan(body.length);

        HttpResponse<String> response = LargeBodies.post("/v2/models/" + model + "/infer", headerLength.isPresent()
                ? Map.of(InferJson.HEADER_LENGTH, Integer.toString(headerLength.getAsInt())) : Map.of(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JsonPath.from(response.body()).getString("error")).contains(says);
        given().body(AFFINE_JSON).post("/v2/models/affine/infer").then().statusCode(200)
                .body("outputs[0].data", contains(4f, 7f, 10f, 13f));
        assertStillServes();
    }

    private static OptionalInt jsonLength(String json) {
        return OptionalInt.of(json.getBytes(StandardCharsets.UTF_8).length);
    }

    private static byte[] withBinary(String json, byte[] binary) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(binary);
        return body.toByteArray();
    }
}
