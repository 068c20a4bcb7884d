package io.ovserve.image;

import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

/**
 * Writes decoded BGR pixels (0-255) as a model's own input tensor: NCHW or NHWC, in its element
 * type. Done here, before the request reaches an infer request, so one compiled model serves both
 * tensors and images and the conversion costs no inference time.
 */
public final class PixelTensors {

    private static final Set<ElementType> SUPPORTED = Set.of(ElementType.F32, ElementType.F16, ElementType.F64,
            ElementType.U8, ElementType.I16, ElementType.U16, ElementType.I32, ElementType.U32, ElementType.I64,
            ElementType.U64);

    private PixelTensors() {
    }

    /** Element types that hold 0-255 exactly. */
    public static boolean supports(ElementType type) {
        return SUPPORTED.contains(type);
    }

    /** Images of one size, as little-endian elements of {@code type}, channel-major when {@code planar} (NCHW). */
    public static ByteBuffer write(List<DecodedImage> images, ElementType type, boolean planar) {
        DecodedImage first = images.get(0);
        int pixels = first.width() * first.height();
        ByteBuffer out = ByteBuffer.allocate(images.size() * pixels * 3 * type.byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (DecodedImage image : images) {
            byte[] bgr = image.bgr();
            if (planar) {
                for (int channel = 0; channel < 3; channel++) {
                    for (int pixel = 0; pixel < pixels; pixel++) {
                        put(out, type, bgr[pixel * 3 + channel] & 0xff);
                    }
                }
            } else {
                for (byte value : bgr) {
                    put(out, type, value & 0xff);
                }
            }
        }
        return out.flip();
    }

    private static void put(ByteBuffer out, ElementType type, int value) {
        switch (type) {
            case F32 -> out.putFloat(value);
            case F64 -> out.putDouble(value);
            case F16 -> out.putShort(half(value));
            case U8 -> out.put((byte) value);
            case I16, U16 -> out.putShort((short) value);
            case I32, U32 -> out.putInt(value);
            case I64, U64 -> out.putLong(value);
            default -> throw new IllegalArgumentException("pixels cannot be written as " + type);
        }
    }

    /** IEEE half of an integer 0-255, exact: Java 17 has no Float.floatToFloat16. */
    static short half(int value) {
        if (value == 0) {
            return 0;
        }
        int exponent = 31 - Integer.numberOfLeadingZeros(value);
        return (short) (((exponent + 15) << 10) | ((value << (10 - exponent)) & 0x3ff));
    }
}
