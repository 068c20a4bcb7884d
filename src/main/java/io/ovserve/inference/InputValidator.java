package io.ovserve.inference;

import io.ovserve.openvino.PortInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Checks raw inputs against a model's inputs before they reach OpenVINO. */
public final class InputValidator {

    private InputValidator() {
    }

    public static void validate(String model, Map<String, InputTensor> inputs, List<PortInfo> expected) {
        for (PortInfo port : expected) {
            if (!inputs.containsKey(port.name())) {
                String given = inputs.isEmpty() ? "no inputs"
                        : "inputs " + inputs.keySet().stream().map(InputValidator::shown).toList();
                throw new ServingException(StatusCode.MISSING_INPUT, "model " + model + " needs input " + port.name()
                        + " " + Arrays.toString(port.shape()) + "; the request has " + given);
            }
        }
        if (inputs.size() != expected.size()) {
            String unexpected = inputs.keySet().stream()
                    .filter(name -> expected.stream().noneMatch(port -> port.name().equals(name)))
                    .findFirst().orElse("?");
            throw new ServingException(StatusCode.UNEXPECTED_INPUT, "model " + model + " has no input "
                    + shown(unexpected) + "; its inputs are " + expected.stream().map(PortInfo::name).toList());
        }
        for (PortInfo port : expected) {
            if (!(inputs.get(port.name()) instanceof InputTensor.Raw raw)) {
                throw new ServingException(StatusCode.INVALID_PRECISION, "input " + port.name() + " of model " + model
                        + " takes " + port.type() + " tensors, not encoded images");
            }
            validate(port, raw);
        }
    }

    private static void validate(PortInfo port, InputTensor.Raw raw) {
        if (raw.type() != port.type()) {
            throw new ServingException(StatusCode.INVALID_PRECISION,
                    "input " + port.name() + " expects " + port.type() + ", got " + raw.type());
        }
        long expectedBytes = validateShape(port, raw.shape());
        if (raw.data().remaining() != expectedBytes) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + port.name() + " of shape "
                    + Arrays.toString(raw.shape()) + " needs " + expectedBytes + " bytes of " + port.type()
                    + ", got " + raw.data().remaining());
        }
    }

    /** Checks a shape against the port's dimensions and bounds; returns the bytes it takes. */
    public static long validateShape(PortInfo port, long[] shape) {
        if (!port.accepts(shape)) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + port.name() + " expects shape "
                    + port.describeShape() + ", got " + Arrays.toString(shape));
        }
        if (Arrays.stream(shape).anyMatch(dim -> dim == 0)) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + port.name() + " of shape "
                    + Arrays.toString(shape) + " has no elements: every dimension must be at least 1");
        }
        return Shapes.bytes(port.name(), shape, port.type());
    }

    /** An input name as a message shows it: an empty one in quotes, so it is not mistaken for a missing word. */
    private static String shown(String name) {
        return name.isEmpty() ? "\"\"" : name;
    }
}
