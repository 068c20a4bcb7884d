package io.ovserve.api.kserve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ovserve.api.rest.JsonValues;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A KServe JSON inference request as the parser streams it, counted before anything is built: each
 * input's {@link JsonInputCounts}, and the small fields whole (id, the outputs asked for and how).
 * Lists are kept up to {@link RequestBounds#MAX_LISTED} entries and counted beyond, to be refused.
 */
final class InferJsonCounts {

    final List<JsonInputCounts> inputs = new ArrayList<>();
    final Set<String> outputs = new HashSet<>();
    final Map<String, Boolean> binaryOutputs = new HashMap<>();
    String id = "";
    boolean binaryByDefault;
    private boolean inputsListed;
    private long inputEntries;
    private long outputEntries;

    /** Reads the request object whose start the parser is at. */
    static InferJsonCounts read(JsonParser parser) throws IOException {
        InferJsonCounts request = new InferJsonCounts();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (key) {
                case "inputs" -> request.readInputs(parser);
                case "outputs" -> request.readOutputs(parser);
                case "id" -> request.id = value == JsonToken.VALUE_STRING ? parser.getText() : "";
                case "parameters" -> request.readParameters(parser);
                default -> parser.skipChildren();
            }
        }
        if (!request.inputsListed) {
            throw needsList("inputs");
        }
        RequestBounds.checkListed("inputs", request.inputEntries);
        RequestBounds.checkListed("outputs", request.outputEntries);
        return request;
    }

    private void readInputs(JsonParser parser) throws IOException {
        requireList(parser, "inputs");
        inputsListed = true;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (inputEntries++ < RequestBounds.MAX_LISTED) {
                inputs.add(JsonInputCounts.read(parser));
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readOutputs(JsonParser parser) throws IOException {
        requireList(parser, "outputs");
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "each entry of \"outputs\" is an object, got "
                        + JsonValues.shown(parser));
            }
            if (outputEntries++ < RequestBounds.MAX_LISTED) {
                readOutput(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    /** {"name": ..., "parameters": {"binary_data": true|false}}; other keys are skipped. */
    private void readOutput(JsonParser parser) throws IOException {
        String name = null;
        Boolean binary = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if (key.equals("name") && value == JsonToken.VALUE_STRING) {
                name = parser.getText();
            } else if (key.equals("parameters") && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    boolean flag = parser.currentName().equals("binary_data");
                    JsonToken flagValue = parser.nextToken();
                    binary = flag && flagValue.isBoolean() ? (Boolean) parser.getBooleanValue() : binary;
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
        }
        if (name == null) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "an output needs \"name\", a string");
        }
        outputs.add(name);
        if (binary != null) {
            binaryOutputs.put(name, binary);
        }
    }

    /** {"binary_data_output": ...}: true, "true" or a number other than 0 ask for binary outputs. */
    private void readParameters(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean flag = parser.currentName().equals("binary_data_output");
            JsonToken value = parser.nextToken();
            if (flag) {
                binaryByDefault = value.isBoolean() ? parser.getBooleanValue()
                        : value == JsonToken.VALUE_STRING ? parser.getText().trim().equals("true")
                        : value == JsonToken.VALUE_NUMBER_INT && parser.getValueAsInt() != 0;
            }
            parser.skipChildren();
        }
    }

    private static void requireList(JsonParser parser, String key) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw needsList(key);
        }
    }

    private static ServingException needsList(String key) {
        return new ServingException(StatusCode.INVALID_REQUEST, "the request needs \"" + key + "\", an array");
    }
}
