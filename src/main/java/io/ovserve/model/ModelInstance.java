package io.ovserve.model;

import io.ovserve.image.ImageDecoder;
import io.ovserve.inference.InferRequestPool;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.Outputs;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.CompiledModel;
import io.ovserve.openvino.Core;
import io.ovserve.openvino.Model;
import io.ovserve.openvino.PortInfo;
import io.ovserve.openvino.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One loaded version of a model: compiled for the device, with its pool of infer requests. */
public final class ModelInstance implements AutoCloseable {

    private final String name;
    private final long version;
    private final CompiledModel compiled;
    private final List<PortInfo> inputs;
    private final List<PortInfo> outputs;
    private final InferRequestPool pool;
    private final Optional<ImageInputModel> imageModel;

    private ModelInstance(String name, long version, CompiledModel compiled, InferRequestPool pool,
            Optional<ImageInputModel> imageModel) {
        this.name = name;
        this.version = version;
        this.compiled = compiled;
        this.inputs = compiled.inputs();
        this.outputs = compiled.outputs();
        this.pool = pool;
        this.imageModel = imageModel;
    }

    static ModelInstance load(Core core, ModelConfig config, ModelVersions.ModelVersion version, int queueSize,
            ImageDecoder decoder) {
        CompiledModel compiled;
        try (Model model = core.readModel(version.modelFile())) {
            compiled = core.compile(model, config.targetDevice(), config.pluginConfig());
        }
        int nireq = config.nireq().orElseGet(() -> Integer.parseInt(compiled.property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")));
        InferRequestPool pool = new InferRequestPool(config.name(), compiled, nireq, queueSize);
        Optional<ImageInputModel> imageModel = ImageInputModel.compile(core, config, version.modelFile(),
                compiled.inputs(), nireq, queueSize, decoder);
        return new ModelInstance(config.name(), version.number(), compiled, pool, imageModel);
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public List<PortInfo> inputs() {
        return inputs;
    }

    public List<PortInfo> outputs() {
        return outputs;
    }

    public int nireq() {
        return pool.size();
    }

    public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
        try {
            Outputs.validateFilter(name, request.outputFilter(), outputs);
            return inferValidated(request).thenApply(result -> new InferenceResponse(name, version, result));
        } catch (ServingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Map<String, OutputTensor>> inferValidated(InferenceRequest request) {
        Map<String, InputTensor> given = request.inputs();
        if (given.size() == 1 && given.values().iterator().next() instanceof InputTensor.EncodedImages images) {
            String input = given.keySet().iterator().next();
            return imageModel.filter(model -> model.inputName().equals(input))
                    .orElseThrow(() -> notAnImageInput(input))
                    .infer(images.images(), request.outputFilter());
        }
        InputValidator.validate(name, given, inputs);
        return pool.submit(inferRequest -> {
            for (PortInfo port : inputs) {
                InputTensor.Raw raw = (InputTensor.Raw) given.get(port.name());
                try (Tensor tensor = Tensor.allocate(raw.type(), raw.shape())) {
                    tensor.data().put(raw.data().duplicate());
                    inferRequest.setTensor(port.name(), tensor);
                }
            }
            inferRequest.infer();
            return Outputs.read(inferRequest, outputs, request.outputFilter());
        });
    }

    private ServingException notAnImageInput(String input) {
        return inputs.stream().anyMatch(port -> port.name().equals(input))
                ? new ServingException(StatusCode.INVALID_PRECISION, "input " + input + " of model " + name
                        + " takes " + inputs.get(0).type() + " tensors; binary images need one NCHW/NHWC 3-channel input")
                : new ServingException(StatusCode.UNEXPECTED_INPUT, "model " + name + " has no input " + input
                        + "; its inputs are " + inputs.stream().map(PortInfo::name).toList());
    }

    /** Warms up every compiled form, so the first request is not the slow one. */
    void warmUp() {
        pool.warmUp(inputs);
        imageModel.ifPresent(ImageInputModel::warmUp);
    }

    @Override
    public void close() {
        imageModel.ifPresent(ImageInputModel::close);
        pool.close();
        compiled.close();
    }
}
