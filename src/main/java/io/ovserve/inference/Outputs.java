package io.ovserve.inference;

import io.ovserve.openvino.InferRequest;
import io.ovserve.openvino.PortInfo;
import io.ovserve.openvino.TensorCopy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Copies the requested outputs out of an infer request once inference is done. */
public final class Outputs {

    private Outputs() {
    }

    /** Fails fast on an output filter naming outputs the model does not have. */
    public static void validateFilter(String model, Set<String> filter, List<PortInfo> outputs) {
        for (String name : filter) {
            if (outputs.stream().noneMatch(port -> port.name().equals(name))) {
                throw new ServingException(StatusCode.INVALID_OUTPUT_FILTER, "model " + model + " has no output "
                        + name + "; its outputs are " + outputs.stream().map(PortInfo::name).toList());
            }
        }
    }

    public static Map<String, OutputTensor> read(InferRequest request, List<PortInfo> outputs, Set<String> filter) {
        Map<String, OutputTensor> result = new LinkedHashMap<>();
        for (PortInfo port : outputs) {
            if (filter.isEmpty() || filter.contains(port.name())) {
                TensorCopy copy = request.readOutput(port);
                result.put(port.name(), new OutputTensor(port.type(), copy.shape(), copy.data()));
            }
        }
        return result;
    }
}
