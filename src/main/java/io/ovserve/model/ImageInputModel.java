package io.ovserve.model;

import io.ovserve.image.DecodedImage;
import io.ovserve.image.ImageDecoder;
import io.ovserve.inference.InferRequestPool;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.Outputs;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.CompiledModel;
import io.ovserve.openvino.Core;
import io.ovserve.openvino.ElementType;
import io.ovserve.openvino.ImageInputPreprocessing;
import io.ovserve.openvino.PortInfo;
import io.ovserve.openvino.Tensor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The variant of a single-input image model compiled to take u8 NHWC BGR pixels: binary (JPEG/PNG)
 * inputs are decoded and resized here, and OpenVINO's preprocessing does precision and layout.
 */
final class ImageInputModel implements AutoCloseable {

    private final String name;
    private final CompiledModel compiled;
    private final PortInfo input;
    private final long batch;
    private final int height;
    private final int width;
    private final List<PortInfo> outputs;
    private final InferRequestPool pool;
    private final ImageDecoder decoder;

    private ImageInputModel(String name, CompiledModel compiled, InferRequestPool pool, ImageDecoder decoder) {
        this.name = name;
        this.compiled = compiled;
        this.input = compiled.inputs().get(0);
        long[] nhwc = input.shape();
        this.batch = nhwc[0];
        this.height = (int) Math.max(nhwc[1], 0); // 0: keep each image's own size
        this.width = (int) Math.max(nhwc[2], 0);
        this.outputs = compiled.outputs();
        this.pool = pool;
        this.decoder = decoder;
    }

    /** Compiles the image variant when the model has one NCHW or NHWC input with 3 channels. */
    static Optional<ImageInputModel> compile(Core core, ModelConfig config, Path modelFile, List<PortInfo> inputs,
            int nireq, int queueSize, ImageDecoder decoder) {
        if (inputs.size() != 1) {
            return Optional.empty();
        }
        long[] shape = inputs.get(0).shape();
        String layout = shape.length != 4 ? null : shape[1] == 3 ? "NCHW" : shape[3] == 3 ? "NHWC" : null;
        if (layout == null) {
            return Optional.empty();
        }
        CompiledModel compiled = core.compile(ImageInputPreprocessing.toU8Nhwc(core.readModel(modelFile), layout),
                config.targetDevice(), config.pluginConfig());
        InferRequestPool pool = new InferRequestPool(config.name() + "-image", compiled, nireq, queueSize);
        return Optional.of(new ImageInputModel(config.name(), compiled, pool, decoder));
    }

    String inputName() {
        return input.name();
    }

    CompletableFuture<Map<String, OutputTensor>> infer(List<ByteBuffer> images,
            Set<String> outputFilter) {
        if (images.isEmpty() || (batch >= 0 && batch != images.size())) {
            return CompletableFuture.failedFuture(new ServingException(
                    StatusCode.INVALID_BATCH_SIZE, "model " + name + " takes a batch of " + batch + " image(s), got "
                            + images.size()));
        }
        return pool.submit(request -> {
            try (Tensor tensor = decode(images)) {
                request.setTensor(input.name(), tensor);
                request.infer();
            }
            return Outputs.read(request, outputs, outputFilter);
        });
    }

    void warmUp() {
        pool.warmUp(List.of(input));
    }

    private Tensor decode(List<ByteBuffer> images) {
        List<DecodedImage> decoded = images.stream().map(image -> decoder.decode(image, width, height)).toList();
        DecodedImage first = decoded.get(0);
        for (DecodedImage image : decoded) {
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new ServingException(StatusCode.INVALID_SHAPE, "images of one batch must share a size: "
                        + first.width() + "x" + first.height() + " and " + image.width() + "x" + image.height());
            }
        }
        Tensor tensor = Tensor.allocate(ElementType.U8, new long[] {decoded.size(), first.height(), first.width(), 3});
        ByteBuffer data = tensor.data();
        decoded.forEach(image -> data.put(image.bgr()));
        return tensor;
    }

    @Override
    public void close() {
        pool.close();
        compiled.close();
    }
}
