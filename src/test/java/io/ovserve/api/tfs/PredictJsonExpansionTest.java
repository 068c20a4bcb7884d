package io.ovserve.api.tfs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import io.ovserve.api.ModelRefs;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.model.ModelManager;
import io.ovserve.support.LargeBodies;
import io.ovserve.support.ParseCost;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow Serving REST requests that a JSON tree or translation would expand to many times their
 * bytes are refused from their counts, before any value is built: reading one allocates less than its
 * own bytes, the caller gets the status and message that say why, and the next request is served.
 */
@QuarkusTest
class PredictJsonExpansionTest extends ServingTest {

    @Inject
    JsonBodies bodies;
    @Inject
    ModelManager models;

    @Test
    void sixteenMegabytesOfZeroRowsForAResnetInputAreRefusedBeforeTheyAreParsedIntoATree() {
        int zeros = 8_000_000;
        String json = "{\"instances\": [" + "0,".repeat(zeros - 1) + "0]}";

        assertRefusedCheaply("resnet", json, "expects shape [1,3,224,224], got [" + zeros + "]");
    }

    @Test
    void sixteenMegabytesOfZeroColumnsAreRefusedBeforeTheyAreParsedIntoATree() {
        int rows = 1_500_000;
        String json = "{\"inputs\": {\"x\": [" + "[0,0,0,0],".repeat(rows - 1) + "[0,0,0,0]]}}";

        assertRefusedCheaply("affine", json, "expects shape [1,4], got [" + rows + ", 4]");
    }

    @Test
    void aMillionEmptyImagesForABatchOfOneAreRefusedBeforeAnyIsDecoded() {
        int images = 1_000_000;
        String json = "{\"instances\": [" + "{\"b64\": \"\"},".repeat(images - 1) + "{\"b64\": \"\"}]}";

        assertRefusedCheaply("image", json, "takes a batch of 1 image(s), got " + images);
    }

    private void assertRefusedCheaply(String model, String json, String says) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ModelRef ref = ModelRefs.parse(model, "");
        AtomicReference<ServingException> refusal = new AtomicReference<>();
        long allocated = ParseCost.allocated(() -> {
            try {
                PredictJson.toInference(ref, bodies, body, models.instance(ref));
            } catch (ServingException refused) {
                refusal.set(refused);
            }
        });
        assertThat(refusal.get()).as("refused").isNotNull();
        assertThat(refusal.get().getMessage()).contains(says);
        assertThat(allocated).as("bytes allocated to refuse %d bytes", body.length).isLessThan(body.length);

        HttpResponse<String> response = LargeBodies.post("/v1/models/" + model + ":predict", Map.of(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JsonPath.from(response.body()).getString("error")).contains(says);
        given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict").then().statusCode(200)
                .body("predictions", contains(List.of(4f, 7f, 10f, 13f)));
        assertStillServes();
    }
}
