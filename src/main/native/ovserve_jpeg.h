/*
 * JPEG decoding with libjpeg-turbo (its libjpeg API) and OpenCV's bilinear resize, for
 * io.ovserve.image.LibJpegTurbo. OVMS decodes with OpenCV, which is libjpeg-turbo with the default
 * (islow) IDCT and fancy upsampling, and resizes with cv::resize(INTER_LINEAR): doing the same gives
 * the model the pixels OVMS would give it, two to three times faster than ImageIO's libjpeg 6b.
 *
 * Every function returns 0 on success; otherwise it writes the reason into message and returns
 * OVSERVE_JPEG_BAD_DATA, OVSERVE_JPEG_DAMAGED or OVSERVE_JPEG_NO_MEMORY. libjpeg's warnings
 * (corrupt or truncated data, which it would otherwise fill with grey) are errors here: DAMAGED.
 */
#ifndef OVSERVE_JPEG_H
#define OVSERVE_JPEG_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <jpeglib.h>

#define OVSERVE_JPEG_BAD_DATA (-1)
#define OVSERVE_JPEG_NO_MEMORY (-2)
#define OVSERVE_JPEG_DAMAGED (-3)

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf escape;
    char *message;
    size_t message_size;
    int damaged;
} ovserve_jpeg_errors;

static void ovserve_jpeg_fail(j_common_ptr info) {
    ovserve_jpeg_errors *errors = (ovserve_jpeg_errors *) info->err;
    char reason[JMSG_LENGTH_MAX];
    errors->manager.format_message(info, reason);
    snprintf(errors->message, errors->message_size, "%s", reason);
    longjmp(errors->escape, 1);
}

static void ovserve_jpeg_warn(j_common_ptr info, int level) {
    if (level < 0) { /* a warning: the data is damaged */
        ((ovserve_jpeg_errors *) info->err)->damaged = 1;
        ovserve_jpeg_fail(info);
    }
}

/* libjpeg's errors and warnings written to message and escaping to the caller's setjmp. */
static void ovserve_jpeg_errors_init(struct jpeg_decompress_struct *info, ovserve_jpeg_errors *errors,
                                     char *message, size_t message_size) {
    info->err = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = ovserve_jpeg_fail;
    errors->manager.emit_message = ovserve_jpeg_warn;
    errors->message = message;
    errors->message_size = message_size;
    errors->damaged = 0;
}

/* Bytes of scratch memory ovserve_resize_bgr needs for a row of width pixels. */
#define OVSERVE_RESIZE_SCRATCH(width) ((size_t) (width) * (7 * sizeof(int) + 2 * sizeof(short)))

/* OpenCV's INTER_LINEAR for 8-bit pixels: half-pixel centres, 11-bit weights, its vector rounding. */
static void ovserve_resize_bgr(const unsigned char *src, int src_width, int src_height,
                               unsigned char *dst, int width, int height, void *scratch) {
    int *columns = (int *) scratch, *upper = columns + width, *lower = upper + width * 3;
    short *weights = (short *) (lower + width * 3);
    const double scale_x = (double) src_width / width, scale_y = (double) src_height / height;
    for (int x = 0; x < width; x++) {
        float f = (float) ((x + 0.5) * scale_x - 0.5);
        int sx = (int) floorf(f);
        f -= sx;
        if (sx < 0) {
            sx = 0, f = 0;
        }
        if (sx >= src_width - 1) {
            sx = src_width - 1, f = 0;
        }
        columns[x] = sx * 3;
        weights[2 * x] = (short) lrintf((1.f - f) * 2048);
        weights[2 * x + 1] = (short) lrintf(f * 2048);
    }
    const int row = src_width * 3;
    for (int y = 0; y < height; y++) {
        float f = (float) ((y + 0.5) * scale_y - 0.5);
        int sy = (int) floorf(f);
        f -= sy;
        const int y0 = sy < 0 ? 0 : sy >= src_height ? src_height - 1 : sy;
        const int y1 = sy + 1 < 0 ? 0 : sy + 1 >= src_height ? src_height - 1 : sy + 1;
        const int b0 = (int) lrintf((1.f - f) * 2048), b1 = (int) lrintf(f * 2048);
        const unsigned char *s0 = src + (size_t) y0 * row, *s1 = src + (size_t) y1 * row;
        for (int x = 0; x < width; x++) {
            const int c = columns[x], a0 = weights[2 * x], a1 = weights[2 * x + 1];
            const int next = a1 ? 3 : 0;
            for (int k = 0; k < 3; k++) {
                upper[x * 3 + k] = s0[c + k] * a0 + s0[c + next + k] * a1;
                lower[x * 3 + k] = s1[c + k] * a0 + s1[c + next + k] * a1;
            }
        }
        unsigned char *out = dst + (size_t) y * width * 3;
        for (int i = 0; i < width * 3; i++) {
            out[i] = (unsigned char) ((((b0 * (upper[i] >> 4)) >> 16) + ((b1 * (lower[i] >> 4)) >> 16) + 2) >> 2);
        }
    }
}

/* The image's width and height, from its header: nothing is decoded. */
static int ovserve_jpeg_dimensions(const unsigned char *data, size_t size, int *dimensions,
                                   char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    ovserve_jpeg_errors errors;
    ovserve_jpeg_errors_init(&info, &errors, message, message_size);
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&info);
        return errors.damaged ? OVSERVE_JPEG_DAMAGED : OVSERVE_JPEG_BAD_DATA;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long) size);
    jpeg_read_header(&info, TRUE);
    dimensions[0] = (int) info.image_width;
    dimensions[1] = (int) info.image_height;
    jpeg_destroy_decompress(&info);
    return 0;
}

/* Decodes into width x height BGR bytes (HWC), resizing when the image has another size. */
static int ovserve_jpeg_decode_bgr(const unsigned char *data, size_t size, unsigned char *bgr, int width,
                                   int height, char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    ovserve_jpeg_errors errors;
    /* volatile: read after longjmp */
    unsigned char *volatile full = NULL;
    void *volatile scratch = NULL;
    ovserve_jpeg_errors_init(&info, &errors, message, message_size);
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&info);
        free(full);
        free(scratch);
        return errors.damaged ? OVSERVE_JPEG_DAMAGED : OVSERVE_JPEG_BAD_DATA;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long) size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_EXT_BGR;
    jpeg_start_decompress(&info);
    const int same = (int) info.output_width == width && (int) info.output_height == height;
    const size_t row = (size_t) info.output_width * 3;
    unsigned char *pixels = bgr;
    if (!same) {
        full = (unsigned char *) malloc(row * info.output_height);
        scratch = malloc(OVSERVE_RESIZE_SCRATCH(width));
        if (full == NULL || scratch == NULL) {
            snprintf(message, message_size, "no memory for a %ux%u image", info.output_width, info.output_height);
            jpeg_destroy_decompress(&info);
            free(full);
            free(scratch);
            return OVSERVE_JPEG_NO_MEMORY;
        }
        pixels = full;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW rows[1] = {pixels + info.output_scanline * row};
        jpeg_read_scanlines(&info, rows, 1);
    }
    jpeg_finish_decompress(&info);
    if (!same) {
        ovserve_resize_bgr(full, (int) info.output_width, (int) info.output_height, bgr, width, height, scratch);
    }
    jpeg_destroy_decompress(&info);
    free(full);
    free(scratch);
    return 0;
}

#endif
