/*
 * JPEG decoding with libjpeg-turbo (its libjpeg API) and OpenCV's bilinear resize, for
 * io.ovserve.image.LibJpegTurbo. OVMS decodes with OpenCV, which is libjpeg-turbo with the default
 * (islow) IDCT and fancy upsampling, and resizes with cv::resize(INTER_LINEAR): doing the same gives
 * the model the pixels OVMS would give it, two to three times faster than ImageIO's libjpeg 6b.
 *
 * ovserve_jpeg_dimensions and ovserve_jpeg_decode_bgr return 0 on success; otherwise they write the
 * reason into message and return one of the OVSERVE_JPEG_ codes below. As in OpenCV, libjpeg's
 * warnings do not fail the call (extraneous bytes before a marker, corrupt entropy data: libjpeg
 * recovers), but for data that ends before the image does (JWRN_JPEG_EOF, where libjpeg's memory
 * source pads with grey): OpenCV reads through a suspending source, which stops there, and its
 * imdecode fails. That is DAMAGED here.
 */
#ifndef OVSERVE_JPEG_H
#define OVSERVE_JPEG_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <limits.h>
#include <time.h>
#include <jpeglib.h>
#include <jerror.h>

#define OVSERVE_JPEG_BAD_DATA (-1)
#define OVSERVE_JPEG_NO_MEMORY (-2)
#define OVSERVE_JPEG_DAMAGED (-3)
/* A progressive JPEG with more scans than the caller allows (as djpeg -maxscans, TJPARAM_SCANLIMIT). */
#define OVSERVE_JPEG_TOO_MANY_SCANS (-4)
/* The caller's deadline passed before the image was decoded. */
#define OVSERVE_JPEG_DEADLINE (-5)

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf escape;
    char *message;
    size_t message_size;
    int result; /* what the function escaped from returns */
} ovserve_jpeg_errors;

/* Back to the caller's setjmp, which returns result (its reason is in message). */
static void ovserve_jpeg_escape(j_common_ptr info, int result) {
    ovserve_jpeg_errors *errors = (ovserve_jpeg_errors *) info->err;
    errors->result = result;
    longjmp(errors->escape, 1);
}

/* libjpeg's own message for what it just met, written to message, then back to the caller's setjmp. */
static void ovserve_jpeg_report(j_common_ptr info, int result) {
    ovserve_jpeg_errors *errors = (ovserve_jpeg_errors *) info->err;
    char reason[JMSG_LENGTH_MAX];
    errors->manager.format_message(info, reason);
    snprintf(errors->message, errors->message_size, "%s", reason);
    ovserve_jpeg_escape(info, result);
}

static void ovserve_jpeg_fail(j_common_ptr info) {
    ovserve_jpeg_report(info, info->err->msg_code == JERR_OUT_OF_MEMORY ? OVSERVE_JPEG_NO_MEMORY
                                                                       : OVSERVE_JPEG_BAD_DATA);
}

static void ovserve_jpeg_warn(j_common_ptr info, int level) {
    if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) {
        ovserve_jpeg_report(info, OVSERVE_JPEG_DAMAGED);
    }
}

/* libjpeg's errors (and the end of its data) written to message and escaping to the caller's setjmp. */
static void ovserve_jpeg_errors_init(struct jpeg_decompress_struct *info, ovserve_jpeg_errors *errors,
                                     char *message, size_t message_size) {
    info->err = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = ovserve_jpeg_fail;
    errors->manager.emit_message = ovserve_jpeg_warn;
    errors->message = message;
    errors->message_size = message_size;
}

/*
 * What one decoding may spend, checked by libjpeg's progress monitor, which it calls before each iMCU
 * row it reads and each call that returns rows. A progressive JPEG is read whole by
 * jpeg_start_decompress, and each scan walks every block of its component however few bytes it has
 * (an EOB run codes 32,767 empty blocks in a few bits): a file of many tiny scans costs half a minute
 * of CPU and more per MB. libjpeg-turbo's guard is a scan limit (djpeg -maxscans, TJPARAM_SCANLIMIT); the deadline
 * bounds the rest.
 */
typedef struct {
    struct jpeg_progress_mgr manager;
    int max_scans;      /* 0: no limit */
    long long deadline; /* CLOCK_MONOTONIC nanoseconds; LLONG_MAX: none */
} ovserve_jpeg_limits;

static long long ovserve_jpeg_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long) now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void ovserve_jpeg_check(j_common_ptr common) {
    const j_decompress_ptr info = (j_decompress_ptr) common;
    const ovserve_jpeg_limits *limits = (const ovserve_jpeg_limits *) info->progress;
    const ovserve_jpeg_errors *errors = (const ovserve_jpeg_errors *) info->err;
    if (limits->max_scans > 0 && info->input_scan_number > limits->max_scans) {
        snprintf(errors->message, errors->message_size, "progressive JPEG with more than %d scans, the limit",
                 limits->max_scans);
        ovserve_jpeg_escape(common, OVSERVE_JPEG_TOO_MANY_SCANS);
    }
    if (limits->deadline != LLONG_MAX && ovserve_jpeg_now() >= limits->deadline) {
        snprintf(errors->message, errors->message_size, "decoding stopped in scan %d, at row %u of %u",
                 info->input_scan_number, info->output_scanline, info->output_height);
        ovserve_jpeg_escape(common, OVSERVE_JPEG_DEADLINE);
    }
}

/* Limits for a decoding that has budget nanoseconds (LLONG_MAX: no deadline). */
static void ovserve_jpeg_limits_init(struct jpeg_decompress_struct *info, ovserve_jpeg_limits *limits,
                                     int max_scans, long long budget) {
    memset(limits, 0, sizeof *limits);
    limits->manager.progress_monitor = ovserve_jpeg_check;
    limits->max_scans = max_scans;
    const long long now = ovserve_jpeg_now();
    limits->deadline = budget >= LLONG_MAX - now ? LLONG_MAX : now + budget;
    info->progress = &limits->manager;
}

/*
 * OpenCV's CMYK to BGR (icvCvt_CMYK2BGR_8u_C4C3R), for 4-component JPEGs, which it decodes as CMYK
 * (libjpeg converting YCCK) and takes as Adobe's inverted CMYK.
 */
static void ovserve_cmyk_to_bgr(const unsigned char *__restrict cmyk, unsigned char *__restrict bgr, int width) {
    for (int x = 0; x < width; x++, cmyk += 4, bgr += 3) {
        const int k = cmyk[3];
        bgr[0] = (unsigned char) (k - ((255 - cmyk[2]) * k >> 8));
        bgr[1] = (unsigned char) (k - ((255 - cmyk[1]) * k >> 8));
        bgr[2] = (unsigned char) (k - ((255 - cmyk[0]) * k >> 8));
    }
}

/*
 * OpenCV's INTER_LINEAR for 8-bit pixels (half-pixel centres, 11-bit weights, its vector rounding),
 * done on the rows as they are decoded, OVSERVE_JPEG_ROWS at a time: each source row is resized
 * horizontally once, into one of two rows kept as (sum >> 4), all that the vertical pass reads of
 * it; an output row is written as soon as its two source rows are there. The decoded image is never
 * held whole.
 */
typedef struct {
    int width, height, src_height;
    double scale_y;
    int *columns;  /* per output column: its left source pixel's first byte */
    short *weights; /* per output column: the left and right pixels' weights, 2048 in all */
    short *rows[2]; /* source rows s resized horizontally, in rows[s & 1] */
} ovserve_resize;

/* Bytes of scratch memory a resize to width pixels needs. */
#define OVSERVE_RESIZE_SCRATCH(width) ((size_t) (width) * (sizeof(int) + 2 * sizeof(short) + 2 * 3 * sizeof(short)))
/* Bytes a source row needs after its last pixel: that pixel is read with its (zero-weighted) neighbour. */
#define OVSERVE_RESIZE_PADDING 3
/*
 * Rows decoded before they are resized. A row resized right after libjpeg-turbo wrote it stalled on
 * its reads in the JVM (not in a C program): the seed's photo decoded 500 times a second on a core,
 * against 780 with the whole image decoded first and 835 with 16 rows at a time (8: 809; 32, 64: 836).
 */
#define OVSERVE_JPEG_ROWS 16

static void ovserve_resize_init(ovserve_resize *resize, int src_width, int src_height, int width, int height,
                                void *scratch) {
    resize->width = width, resize->height = height, resize->src_height = src_height;
    resize->scale_y = (double) src_height / height;
    resize->columns = (int *) scratch;
    resize->weights = (short *) (resize->columns + width);
    resize->rows[0] = resize->weights + 2 * width;
    resize->rows[1] = resize->rows[0] + 3 * width;
    const double scale_x = (double) src_width / width;
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
        resize->columns[x] = sx * 3;
        resize->weights[2 * x] = (short) lrintf((1.f - f) * 2048);
        resize->weights[2 * x + 1] = (short) lrintf(f * 2048);
    }
}

/* Output row y's source rows (clamped to the image) and their weights. */
static void ovserve_resize_sources(const ovserve_resize *resize, int y, int *y0, int *y1, short *b0, short *b1) {
    float f = (float) ((y + 0.5) * resize->scale_y - 0.5);
    const int sy = (int) floorf(f), last = resize->src_height - 1;
    f -= sy;
    *y0 = sy < 0 ? 0 : sy > last ? last : sy;
    *y1 = sy + 1 < 0 ? 0 : sy + 1 > last ? last : sy + 1;
    *b0 = (short) lrintf((1.f - f) * 2048);
    *b1 = (short) lrintf(f * 2048);
}

static void ovserve_resize_row(const ovserve_resize *resize, const unsigned char *__restrict src, short *__restrict row) {
    const int *__restrict columns = resize->columns;
    const short *__restrict weights = resize->weights;
    for (int x = 0; x < resize->width; x++) {
        const unsigned char *pixel = src + columns[x];
        const int a0 = weights[2 * x], a1 = weights[2 * x + 1];
        row[3 * x] = (short) ((pixel[0] * a0 + pixel[3] * a1) >> 4);
        row[3 * x + 1] = (short) ((pixel[1] * a0 + pixel[4] * a1) >> 4);
        row[3 * x + 2] = (short) ((pixel[2] * a0 + pixel[5] * a1) >> 4);
    }
}

/*
 * Takes source row s (rows come in order, each once; src has OVSERVE_RESIZE_PADDING bytes after its
 * last pixel) and writes every output row from *next on whose source rows are now all there.
 */
static void ovserve_resize_take(const ovserve_resize *resize, int s, const unsigned char *src, unsigned char *dst,
                                int *next) {
    int y0, y1;
    short b0, b1;
    if (*next >= resize->height) {
        return;
    }
    ovserve_resize_sources(resize, *next, &y0, &y1, &b0, &b1);
    if (s != y0 && s != y1) {
        return; /* a row between the sampled ones: a downscale by more than two skips it */
    }
    ovserve_resize_row(resize, src, resize->rows[s & 1]);
    for (; y1 == s; ovserve_resize_sources(resize, *next, &y0, &y1, &b0, &b1)) {
        const short *__restrict r0 = resize->rows[y0 & 1], *__restrict r1 = resize->rows[y1 & 1];
        unsigned char *__restrict out = dst + (size_t) *next * resize->width * 3;
        for (int i = 0; i < resize->width * 3; i++) {
            out[i] = (unsigned char) ((((b0 * r0[i]) >> 16) + ((b1 * r1[i]) >> 16) + 2) >> 2);
        }
        if (++*next == resize->height) {
            return;
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
        return errors.result;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long) size);
    jpeg_read_header(&info, TRUE);
    dimensions[0] = (int) info.image_width;
    dimensions[1] = (int) info.image_height;
    jpeg_destroy_decompress(&info);
    return 0;
}

/*
 * Reads the next rows of the image, up to count (fewer at its end), as BGR into rows. A CMYK image
 * is read into cmyk (count rows of 4 bytes a pixel) first, then converted.
 */
static int ovserve_jpeg_read_bgr(j_decompress_ptr info, JSAMPROW *rows, int count, JSAMPARRAY cmyk) {
    JSAMPROW *into = cmyk != NULL ? cmyk : rows;
    int read = 0;
    while (read < count && info->output_scanline < info->output_height) {
        read += (int) jpeg_read_scanlines(info, into + read, (JDIMENSION) (count - read));
    }
    for (int i = 0; cmyk != NULL && i < read; i++) {
        ovserve_cmyk_to_bgr(cmyk[i], rows[i], (int) info->output_width);
    }
    return read;
}

/*
 * Decodes into width x height BGR bytes (HWC), resizing when the image has another size. A progressive
 * JPEG with more than max_scans scans (0: no limit) is refused, and the decoding stops once budget
 * nanoseconds have passed (LLONG_MAX: never).
 */
static int ovserve_jpeg_decode_bgr(const unsigned char *data, size_t size, unsigned char *bgr, int width,
                                   int height, int max_scans, long long budget, char *message,
                                   size_t message_size) {
    struct jpeg_decompress_struct info;
    ovserve_jpeg_errors errors;
    ovserve_jpeg_limits limits;
    /* volatile: read after longjmp */
    unsigned char *volatile buffer = NULL;
    void *volatile scratch = NULL;
    ovserve_jpeg_errors_init(&info, &errors, message, message_size);
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&info);
        free(buffer);
        free(scratch);
        return errors.result;
    }
    jpeg_create_decompress(&info);
    ovserve_jpeg_limits_init(&info, &limits, max_scans, budget);
    jpeg_mem_src(&info, data, (unsigned long) size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = info.num_components == 4 ? JCS_CMYK : JCS_EXT_BGR;
    jpeg_start_decompress(&info);
    const size_t row = (size_t) info.output_width * 3;
    /* freed with info, also after a longjmp */
    JSAMPARRAY cmyk = info.out_color_space != JCS_CMYK ? NULL
            : (*info.mem->alloc_sarray)((j_common_ptr) &info, JPOOL_IMAGE, info.output_width * 4, OVSERVE_JPEG_ROWS);
    JSAMPROW chunk[OVSERVE_JPEG_ROWS];
    if ((int) info.output_width == width && (int) info.output_height == height) {
        while (info.output_scanline < info.output_height) {
            const int left = (int) (info.output_height - info.output_scanline);
            const int count = left < OVSERVE_JPEG_ROWS ? left : OVSERVE_JPEG_ROWS;
            for (int i = 0; i < count; i++) {
                chunk[i] = bgr + (info.output_scanline + i) * row;
            }
            ovserve_jpeg_read_bgr(&info, chunk, count, cmyk);
        }
    } else {
        buffer = (unsigned char *) malloc(OVSERVE_JPEG_ROWS * row + OVSERVE_RESIZE_PADDING);
        scratch = malloc(OVSERVE_RESIZE_SCRATCH(width));
        if (buffer == NULL || scratch == NULL) {
            snprintf(message, message_size, "no memory to resize a %ux%u image", info.output_width,
                     info.output_height);
            jpeg_destroy_decompress(&info);
            free(buffer);
            free(scratch);
            return OVSERVE_JPEG_NO_MEMORY;
        }
        ovserve_resize resize;
        ovserve_resize_init(&resize, (int) info.output_width, (int) info.output_height, width, height, scratch);
        int next = 0;
        for (int i = 0; i < OVSERVE_JPEG_ROWS; i++) {
            chunk[i] = buffer + i * row;
        }
        while (info.output_scanline < info.output_height) {
            const int first = (int) info.output_scanline;
            const int decoded = ovserve_jpeg_read_bgr(&info, chunk, OVSERVE_JPEG_ROWS, cmyk);
            for (int i = 0; i < decoded; i++) {
                ovserve_resize_take(&resize, first + i, chunk[i], bgr, &next);
            }
        }
    }
    /*
     * Not jpeg_finish_decompress: as in OpenCV, once every row is decoded, whatever follows the last
     * scan (a missing EOI marker, trailing bytes) does not matter.
     */
    jpeg_destroy_decompress(&info);
    free(buffer);
    free(scratch);
    return 0;
}

#endif
