package io.ovserve.model;

import io.ovserve.image.DecodedImage;
import io.ovserve.image.PixelTensors;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.InferRequest;
import io.ovserve.openvino.PortInfo;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one input of an image model (NCHW or NHWC, 3 channels) that binary JPEG/PNG inputs feed: it
 * knows the size images are resized to and writes decoded pixels into that input's tensor.
 */
final class ImageInput {

    private final PortInfo port;
    private final boolean planar;
    private final int height;
    private final int width;

    private ImageInput(PortInfo port, boolean planar) {
        this.port = port;
        this.planar = planar;
        this.height = staticDimension(planar ? 2 : 1);
        this.width = staticDimension(planar ? 3 : 2);
    }

    /** The image input of a model with exactly one NCHW/NHWC 3-channel input of a type pixels fit in. */
    static Optional<ImageInput> of(List<PortInfo> inputs) {
        if (inputs.size() != 1) {
            return Optional.empty();
        }
        PortInfo port = inputs.get(0);
        long[] shape = port.shape();
        if (shape.length != 4 || !PixelTensors.supports(port.type())) {
            return Optional.empty();
        }
        return shape[1] == 3 ? Optional.of(new ImageInput(port, true))
                : shape[3] == 3 ? Optional.of(new ImageInput(port, false)) : Optional.empty();
    }

    String name() {
        return port.name();
    }

    /** 0 where the model takes any height: each image keeps its own. */
    int height() {
        return height;
    }

    int width() {
        return width;
    }

    void checkBatch(int images) {
        InputValidator.validateBatch(port, images);
    }

    /**
     * Checks that the images fit this input and returns what writes them into an infer request's
     * tensor, on the inference thread (the conversion costs a fraction of a percent of an image
     * model's inference; a heap copy of the tensor would be a large object per request).
     */
    Consumer<InferRequest> writer(List<DecodedImage> images) {
        DecodedImage first = images.get(0);
        for (DecodedImage image : images) {
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new ServingException(StatusCode.INVALID_SHAPE, "images of one batch must share a size: "
                        + first.width() + "x" + first.height() + " and " + image.width() + "x" + image.height());
            }
        }
        long[] shape = planar ? new long[] {images.size(), 3, first.height(), first.width()}
                : new long[] {images.size(), first.height(), first.width(), 3};
        InputValidator.validateShape(port, shape); // an image's own size meets the bounds
        return request -> PixelTensors.write(images, port.type(), planar, request.input(port.name(), shape));
    }

    private int staticDimension(int index) {
        long[] shape = port.shape();
        return (int) Math.max(shape[index], 0);
    }
}
