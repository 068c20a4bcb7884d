package io.ovserve.api.tfs;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.ovserve.api.WireCounts;
import io.ovserve.inference.RequestBounds;
import java.io.IOException;
import java.util.Arrays;

/**
 * A TensorProto as the wire carries it, read without building it: its dtype, its shape (at most
 * {@link RequestBounds#MAX_RANK} dimensions kept, all counted) and how many values each field holds.
 */
final class TensorCounts {

    static final int DTYPE = 1;
    static final int TENSOR_SHAPE = 2;
    static final int TENSOR_CONTENT = 4;
    static final int FLOAT_VAL = 5;
    static final int DOUBLE_VAL = 6;
    static final int INT_VAL = 7;
    static final int STRING_VAL = 8;
    static final int SCOMPLEX_VAL = 9;
    static final int INT64_VAL = 10;
    static final int BOOL_VAL = 11;
    static final int DCOMPLEX_VAL = 12;
    static final int HALF_VAL = 13;
    static final int UINT32_VAL = 16;
    static final int UINT64_VAL = 17;

    /** The value fields, each with its name; an entry is null where a number names none. */
    static final String[] VALUE_FIELDS = new String[UINT64_VAL + 1];

    static {
        VALUE_FIELDS[FLOAT_VAL] = "float_val";
        VALUE_FIELDS[DOUBLE_VAL] = "double_val";
        VALUE_FIELDS[INT_VAL] = "int_val";
        VALUE_FIELDS[STRING_VAL] = "string_val";
        VALUE_FIELDS[SCOMPLEX_VAL] = "scomplex_val";
        VALUE_FIELDS[INT64_VAL] = "int64_val";
        VALUE_FIELDS[BOOL_VAL] = "bool_val";
        VALUE_FIELDS[DCOMPLEX_VAL] = "dcomplex_val";
        VALUE_FIELDS[HALF_VAL] = "half_val";
        VALUE_FIELDS[UINT32_VAL] = "uint32_val";
        VALUE_FIELDS[UINT64_VAL] = "uint64_val";
    }

    private int dtype;
    private final long[] dims = new long[RequestBounds.MAX_RANK];
    private long rank;
    private long contentBytes;
    private final long[] values = new long[VALUE_FIELDS.length];

    /**
     * Reads a TensorProto (the bytes up to the stream's current limit) into these counts, as protobuf
     * merges a message sent twice: repeated fields add up, single ones are replaced.
     */
    void read(CodedInputStream in) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            readField(in, tag);
        }
    }

    private void readField(CodedInputStream in, int tag) throws IOException {
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        if (field == DTYPE && wireType == WireFormat.WIRETYPE_VARINT) {
            dtype = in.readEnum();
        } else if (field == TENSOR_SHAPE && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(WireCounts.length(in));
            readShape(in); // a field sent twice merges, as protobuf merges it: dimensions add up
            in.popLimit(limit);
        } else if (field == TENSOR_CONTENT && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            contentBytes = WireCounts.length(in); // the last one sent is the one parsed
            in.skipRawBytes((int) contentBytes);
        } else if (field < VALUE_FIELDS.length && VALUE_FIELDS[field] != null) {
            values[field] += field == STRING_VAL ? WireCounts.lengthDelimited(in, tag)
                    : WireCounts.scalars(in, tag, valueWireType(field));
        } else {
            in.skipField(tag);
        }
    }

    private static int valueWireType(int field) {
        return switch (field) {
            case FLOAT_VAL, SCOMPLEX_VAL -> WireFormat.WIRETYPE_FIXED32;
            case DOUBLE_VAL, DCOMPLEX_VAL -> WireFormat.WIRETYPE_FIXED64;
            default -> WireFormat.WIRETYPE_VARINT;
        };
    }

    /** TensorShapeProto: {@code repeated Dim dim = 2}, each {@code int64 size = 1}. */
    private void readShape(CodedInputStream in) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag != WireCounts.tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(WireCounts.length(in));
            long size = 0;
            for (int dimTag = in.readTag(); dimTag != 0; dimTag = in.readTag()) {
                if (dimTag == WireCounts.tag(1, WireFormat.WIRETYPE_VARINT)) {
                    size = in.readInt64();
                } else {
                    in.skipField(dimTag);
                }
            }
            in.popLimit(limit);
            if (rank < dims.length) {
                dims[(int) rank] = size;
            }
            rank++;
        }
    }

    int dtype() {
        return dtype;
    }

    /** The dimensions, or INVALID_SHAPE if there are more than {@link RequestBounds#MAX_RANK}. */
    long[] shape(String input) {
        RequestBounds.checkRank(input, rank);
        return Arrays.copyOf(dims, (int) rank);
    }

    long contentBytes() {
        return contentBytes;
    }

    /** Values in a field of {@link #VALUE_FIELDS}. */
    long values(int field) {
        return values[field];
    }
}
