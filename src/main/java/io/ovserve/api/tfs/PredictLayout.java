package io.ovserve.api.tfs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.api.rest.NestedValues;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.PortInfo;
import java.io.IOException;
import java.util.List;

/**
 * Where a TensorFlow Serving predict body keeps its values, and a walk over them that both passes of
 * {@link PredictJson} take: the rows ({@code "instances"}) or the columns ({@code "inputs"}), each value
 * named by the model's input it feeds.
 */
final class PredictLayout {

    private final byte[] body;
    private final long offset;
    private final boolean rows;
    private final List<PortInfo> ports;

    private PredictLayout(byte[] body, long offset, boolean rows, List<PortInfo> ports) {
        this.body = body;
        this.offset = offset;
        this.rows = rows;
        this.ports = ports;
    }

    /** The layout of a body for a model of inputs {@code ports}, skimmed (its values skipped, not read). */
    static PredictLayout of(JsonBodies bodies, byte[] body, List<PortInfo> ports) {
        long[] offsets = JsonBodies.read(() -> offsets(bodies.parser(body, body.length,
                "TensorFlow Serving's predict request")));
        boolean rows = offsets[0] >= 0;
        return new PredictLayout(body, rows ? offsets[0] : offsets[1], rows, ports);
    }

    /** Whether the values come in rows (so the reply goes back in rows). */
    boolean rows() {
        return rows;
    }

    /** Where "instances" and "inputs" start in the body (-1: absent), exactly one of which it must have. */
    private static long[] offsets(JsonParser parser) throws IOException {
        long[] offsets = {-1, -1};
        try (parser) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                int which = key.equals("instances") ? 0 : key.equals("inputs") ? 1 : -1;
                if (which >= 0) {
                    offsets[which] = parser.currentTokenLocation().getByteOffset();
                }
                parser.skipChildren();
            }
        }
        if ((offsets[0] < 0) == (offsets[1] < 0)) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the request needs exactly one of \"instances\""
                    + " (row format) or \"inputs\" (columnar format)");
        }
        return offsets;
    }

    /** What {@link #walk} finds: each input's value, or an image value whose "b64" key was read to tell it apart. */
    interface Visitor {
        /** At the first token of a value of {@code input}. */
        void value(String input, JsonParser value) throws IOException;

        /** At the "b64" key of {@code {"b64": ...}}, a value of {@code input}. */
        void image(String input, JsonParser value) throws IOException;
    }

    /**
     * Walks the rows ({@code "instances": [{"name": value, ...}, ...]}, or [value, ...] for a model of one
     * input) or the columns ({@code "inputs": {"name": value, ...}}, or the value alone) of the body;
     * returns the rows' number of instances. An object whose first key is "b64" is a value, not names.
     */
    long walk(Visitor visitor) throws IOException {
        try (JsonParser parser = JsonBodies.at(body, offset, body.length)) {
            JsonToken token = parser.currentToken();
            if (!rows) {
                entry(parser, ports, visitor, null);
                return 1;
            }
            if (token != JsonToken.START_ARRAY) {
                throw nonEmptyList();
            }
            long instances = 0;
            Boolean byName = null;
            for (token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                byName = entry(parser, ports, visitor, byName);
                instances++;
            }
            if (instances == 0) {
                throw nonEmptyList();
            }
            return instances;
        }
    }

    /**
     * Walks one instance, or the columns: named inputs or one bare value, as {@code byName} says (null: either);
     * returns which it was.
     */
    private static boolean entry(JsonParser parser, List<PortInfo> ports, Visitor visitor, Boolean byName)
            throws IOException {
        boolean object = parser.currentToken() == JsonToken.START_OBJECT;
        JsonToken first = object ? parser.nextToken() : null;
        boolean named = object && !(first == JsonToken.FIELD_NAME && NestedValues.B64.equals(parser.currentName()));
        if (byName != null && byName != named) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "\"instances\" mixes objects of named inputs"
                    + " with bare values");
        }
        if (!named) {
            String only = onlyInput(ports);
            if (object) {
                visitor.image(only, parser);
            } else {
                visitor.value(only, parser);
            }
            return false;
        }
        for (JsonToken key = first; key == JsonToken.FIELD_NAME; key = parser.nextToken()) {
            String input = portOf(parser.currentName(), ports).name();
            parser.nextToken();
            visitor.value(input, parser);
        }
        return true;
    }

    private static ServingException nonEmptyList() {
        return new ServingException(StatusCode.INVALID_REQUEST, "\"instances\" is a non-empty list, one entry per"
                + " batch element");
    }

    private static String onlyInput(List<PortInfo> modelInputs) {
        if (modelInputs.size() != 1) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the model has " + modelInputs.size()
                    + " inputs: name each one (its inputs are " + modelInputs.stream().map(PortInfo::name).toList()
                    + ")");
        }
        return modelInputs.get(0).name();
    }

    static PortInfo portOf(String name, List<PortInfo> modelInputs) {
        return modelInputs.stream().filter(port -> port.name().equals(name)).findFirst()
                .orElseThrow(() -> new ServingException(StatusCode.UNEXPECTED_INPUT, "the model has no input " + name
                        + "; its inputs are " + modelInputs.stream().map(PortInfo::name).toList()));
    }
}
