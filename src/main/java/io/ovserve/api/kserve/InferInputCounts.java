package io.ovserve.api.kserve;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.ovserve.api.WireCounts;
import io.ovserve.inference.RequestBounds;
import java.io.IOException;
import java.util.Arrays;

/**
 * A ModelInferRequest's InferInputTensor as the wire carries it, read without building it: name,
 * datatype, shape (at most {@link RequestBounds#MAX_RANK} dimensions kept, all counted), how many
 * values each field of its contents holds, and how many parameters it has.
 */
final class InferInputCounts {

    static final int BOOL_CONTENTS = 1;
    static final int BYTES_CONTENTS = 8;

    /** The fields of InferTensorContents by number, as messages name them. */
    static final String[] CONTENTS = {null, "bool_contents", "int_contents", "int64_contents", "uint_contents",
            "uint64_contents", "fp32_contents", "fp64_contents", "bytes_contents"};

    private String name = "";
    private String datatype = "";
    private final long[] dims = new long[RequestBounds.MAX_RANK];
    private long rank;
    private long parameters;
    private final long[] values = new long[CONTENTS.length];

    /** Reads an InferInputTensor (up to the stream's current limit), merging as protobuf merges a message sent twice. */
    void read(CodedInputStream in) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> name = in.readStringRequireUtf8();
                case 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> datatype = in.readStringRequireUtf8();
                case 3 << 3 | WireFormat.WIRETYPE_VARINT -> addDim(in.readInt64());
                case 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> readPackedShape(in);
                case 4 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> parameters += WireCounts.lengthDelimited(in, tag);
                case 5 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    int limit = in.pushLimit(WireCounts.length(in));
                    readContents(in);
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
    }

    private void readPackedShape(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(WireCounts.length(in));
        while (!in.isAtEnd()) {
            addDim(in.readInt64());
        }
        in.popLimit(limit);
    }

    private void addDim(long size) {
        if (rank < dims.length) {
            dims[(int) rank] = size;
        }
        rank++;
    }

    private void readContents(CodedInputStream in) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field < BOOL_CONTENTS || field > BYTES_CONTENTS) {
                in.skipField(tag);
            } else {
                values[field] += field == BYTES_CONTENTS ? WireCounts.lengthDelimited(in, tag)
                        : WireCounts.scalars(in, tag, valueWireType(field));
            }
        }
    }

    private static int valueWireType(int field) {
        return switch (field) {
            case 6 -> WireFormat.WIRETYPE_FIXED32;
            case 7 -> WireFormat.WIRETYPE_FIXED64;
            default -> WireFormat.WIRETYPE_VARINT;
        };
    }

    String name() {
        return name;
    }

    String datatype() {
        return datatype;
    }

    /** The dimensions, or INVALID_SHAPE if there are more than {@link RequestBounds#MAX_RANK}. */
    long[] shape() {
        RequestBounds.checkRank(name, rank);
        return Arrays.copyOf(dims, (int) rank);
    }

    long parameters() {
        return parameters;
    }

    /** Values in a field of {@link #CONTENTS}, by number. */
    long values(int field) {
        return values[field];
    }

    /** The number of the contents field that holds {@code name}'s values. */
    static int field(String name) {
        return Arrays.asList(CONTENTS).indexOf(name);
    }
}
