package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.images;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shapeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.ovserve.support.BrokenImages;
import io.ovserve.support.Images;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictResponse;

/** DT_STRING inputs holding JPEG/PNG files, as the seed's resnet client sends with --layout=binary. */
@QuarkusTest
class BinaryInputTest extends ServingTest {

    /** R=255, G=128, B=10: the model sees channels in BGR order, so its per-channel means are 10, 128, 255. */
    private static final Color ORANGE = new Color(255, 128, 10);

    private PredictResponse predictImage(String model, String input, byte[]... files) {
        return predictions.predict(request(model).putInputs(input, images(files)).build());
    }

    @Test
    void pngReachesTheModelAsBgrValuesExactly() {
        PredictResponse response = predictImage("image", "image", Images.solid("png", 8, 8, ORANGE));

        assertThat(floatsOf(response, "mean")).containsExactly(10, 128, 255);
    }

    @Test
    void pngReachesAnNhwcModelAsBgrValuesExactly() {
        // left half R=255 G=128 B=10, right half R=1 G=64 B=0: B, G, R means 5, 96, 128
        PredictResponse response = predictImage("image-nhwc", "image",
                Images.halves("png", 8, 8, ORANGE, new Color(1, 64, 0)));

        assertThat(floatsOf(response, "mean")).containsExactly(5, 96, 128);
    }

    @Test
    void severalPngsInOneTensorGetOneResultEach() {
        PredictResponse response = predictImage("image-batch", "image", Images.solid("png", 8, 8, ORANGE),
                Images.solid("png", 8, 8, Color.BLACK), Images.solid("png", 8, 8, new Color(64, 1, 255)));

        assertThat(shapeOf(response, "mean")).containsExactly(3, 3);
        assertThat(floatsOf(response, "mean")).containsExactly(10, 128, 255, 0, 0, 0, 255, 1, 64);
    }

    @Test
    void jpegReachesTheModelAsBgrValues() {
        PredictResponse response = predictImage("image", "image", Images.solid("jpg", 8, 8, ORANGE));

        assertOrangeMeans(response, 4); // JPEG is lossy
    }

    @Test
    void imageOfAnotherSizeIsResizedToTheModelInput() {
        PredictResponse response = predictImage("image", "image", Images.solid("png", 37, 21, ORANGE));

        assertOrangeMeans(response, 1); // interpolation may round
    }

    private static void assertOrangeMeans(PredictResponse response, float tolerance) {
        float[] mean = floatsOf(response, "mean");
        assertThat(mean[0]).isCloseTo(10, within(tolerance));
        assertThat(mean[1]).isCloseTo(128, within(tolerance));
        assertThat(mean[2]).isCloseTo(255, within(tolerance));
    }

    @Test
    void resnetTakesAJpegOfAnySize() {
        PredictResponse response = predictImage("resnet", "0", Images.noise("jpg", 300, 200));

        assertThat(shapeOf(response, "1463")).containsExactly(1, 1000);
        double sum = 0;
        for (float p : floatsOf(response, "1463")) {
            sum += p;
        }
        assertThat(sum).isCloseTo(1, within(1e-3));
    }

    @Test
    void corruptImageIsInvalidArgument() {
        byte[] corrupt = Images.solid("jpg", 8, 8, ORANGE);
        Arrays.fill(corrupt, 2, corrupt.length, (byte) 0x55);

        assertFails(() -> predictImage("image", "image", corrupt), Status.Code.INVALID_ARGUMENT, "image");
        assertStillServes();
    }

    @Test
    void bytesThatAreNoImageAreInvalidArgument() {
        assertFails(() -> predictImage("image", "image", "not an image".getBytes()), Status.Code.INVALID_ARGUMENT,
                "neither JPEG nor PNG");
        assertStillServes();
    }

    @Test
    void truncatedJpegIsInvalidArgument() {
        byte[] jpeg = Images.noise("jpg", 64, 64);

        assertFails(() -> predictImage("image", "image", BrokenImages.firstHalf(jpeg)),
                Status.Code.INVALID_ARGUMENT, "image");
        assertStillServes();
    }

    @Test
    void imageClaimingTenBillionPixelsIsRefusedBeforeDecoding() {
        assertFails(() -> predictImage("image", "image", Images.pngHeaderClaiming(100_000, 100_000)),
                Status.Code.INVALID_ARGUMENT, "100000x100000 pixels exceeds the limit");
        assertStillServes();
    }

    @Test
    void moreImagesThanTheModelBatchIsInvalidArgument() {
        byte[] png = Images.solid("png", 8, 8, ORANGE);

        assertFails(() -> predictImage("image", "image", png, png), Status.Code.INVALID_ARGUMENT, "batch of 1");
        assertStillServes();
    }

    @Test
    void imagesForANonImageModelAreInvalidArgument() {
        assertFails(() -> predictImage("affine", "x", Images.solid("png", 8, 8, ORANGE)),
                Status.Code.INVALID_ARGUMENT, "binary images");
        assertStillServes();
    }
}
