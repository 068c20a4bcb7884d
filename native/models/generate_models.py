#!/usr/bin/env python3
"""Generate the ovserve test models as OpenVINO IR, in the OVMS repository layout.

Usage (with the python of the venv made by native/openvino-runtime.sh):

    "$(native/openvino-runtime.sh)/venv/bin/python" native/models/generate_models.py OUTPUT_DIR [--force]

Writes OUTPUT_DIR/<model>/<version>/model.xml + model.bin (model.onnx for the ONNX model). Every
model is built with the OpenVINO Python API (the ONNX one with the `onnx` package; no downloads), saved
uncompressed (f32 weights stay f32), read back from disk, checked for its input/output names, shapes and
types, compiled on CPU and run once with numpy inputs whose results are asserted. Only then is the
version directory moved into place (a rename of a temporary directory next to it), so an existing
model file means a finished model; those are skipped unless --force is given. A model whose recipe
changed has its revision raised in REVISIONS: a version directory without that revision in its
`revision` file is generated again.

It also writes OUTPUT_DIR/reference/: a fixed ResNet input and the output OpenVINO gives for it with
the default CPU configuration, as raw little-endian f32, for the tests to compare served results with.

The CPU plugin may execute f32 models in bf16 by default (it does on CPUs with avx512_bf16/AMX), so
every model is run twice: once with INFERENCE_PRECISION_HINT=f32 (tight tolerances) and once with the
plugin defaults (tolerances loose enough for bf16 convolutions/matmuls).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

# (model, version) pairs, kept in step with MODELS below; used by the no-import fast path.
MODEL_VERSIONS = [("resnet", 1), ("affine", 1), ("affine", 2), ("conv", 1), ("image", 1),
                  ("dtypes", 1), ("dynbatch", 1), ("onnx", 1), ("image-nhwc", 1), ("image-batch", 1),
                  ("bf16", 1), ("strings", 1)]
# Models saved as ONNX (model.onnx) instead of OpenVINO IR.
ONNX_MODELS = {"onnx"}
# Raised when a model's recipe changes, so that existing output directories regenerate it (1 if absent).
REVISIONS = {("dtypes", 1): 2}  # 2: f64, u32 and u64 inputs added
# Written after the models (see write_resnet_reference), relative to the output directory.
REFERENCE_FILES = ("reference/resnet-input.f32", "reference/resnet-output.f32")


def _model_files(name):
    return ("model.onnx",) if name in ONNX_MODELS else ("model.xml", "model.bin")


def _revision_file_says(version_dir, revision):
    try:
        with open(os.path.join(version_dir, "revision")) as f:
            return f.read().strip() == str(revision)
    except OSError:
        return False


def _present(out_dir, name, version):
    d = os.path.join(out_dir, name, str(version))
    revision = REVISIONS.get((name, version), 1)
    return (all(os.path.isfile(os.path.join(d, f)) for f in _model_files(name))
            and (revision == 1 or _revision_file_says(d, revision)))


def _references_present(out_dir):
    return all(os.path.isfile(os.path.join(out_dir, f)) for f in REFERENCE_FILES)


if __name__ == "__main__" and len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
    # Everything already generated: exit before paying for the numpy/openvino imports.
    _out = os.path.abspath(sys.argv[1])
    if all(_present(_out, n, v) for n, v in MODEL_VERSIONS) and _references_present(_out):
        for n, v in MODEL_VERSIONS:
            print(f"{n}/{v}: exists, skipped")
        print("reference: exists, skipped")
        sys.exit(0)

import numpy as np  # noqa: E402
import openvino as ov  # noqa: E402
import openvino.opset16 as ops  # noqa: E402 - newest complete opset in OpenVINO 2026.4 (opset17 only adds ops)
import openvino.properties.hint as hints  # noqa: E402

SEED = 20240521


# --------------------------------------------------------------------------------------------------
# helpers


def parameter(name, shape, element_type):
    p = ops.parameter(ov.PartialShape(shape), element_type, name=name)
    p.output(0).set_names({name})
    return p


def named_output(output, name):
    """Name `output` (a node output) as a model output: tensor name, producer and Result friendly names."""
    output.get_node().set_friendly_name(name)
    output.set_names({name})
    result = ops.result(output)
    result.set_friendly_name(name)
    return result


def f32(value):
    return ops.constant(np.asarray(value, dtype=np.float32))


# --------------------------------------------------------------------------------------------------
# ResNet-50 (v1.5: stride on the 3x3 conv), BN folded into conv biases, random He-normal weights


class _Weights:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def conv(self, cout, cin, k, gain=1.0):
        std = gain * np.sqrt(2.0 / (cin * k * k))
        return (self.rng.standard_normal((cout, cin, k, k), dtype=np.float32) * np.float32(std))

    def bias(self, c):
        return (self.rng.standard_normal((1, c, 1, 1), dtype=np.float32) * np.float32(0.01))


def _conv(w, x, name, cout, cin, k, stride, relu, gain=1.0):
    pad = k // 2
    conv = ops.convolution(x, ops.constant(w.conv(cout, cin, k, gain)), [stride, stride],
                           [pad, pad], [pad, pad], [1, 1])
    conv.set_friendly_name(name)
    y = ops.add(conv, ops.constant(w.bias(cout)))
    y.set_friendly_name(name + ".bias")
    if relu:
        y = ops.relu(y)
        y.set_friendly_name(name + ".relu")
    return y


def build_resnet50():
    w = _Weights(SEED)
    x = parameter("0", [1, 3, 224, 224], ov.Type.f32)
    y = _conv(w, x, "conv1", 64, 3, 7, 2, relu=True)
    y = ops.max_pool(y, [2, 2], [1, 1], [1, 1], [1, 1], [3, 3]).output(0)
    y.get_node().set_friendly_name("maxpool")
    cin = 64
    for stage, (blocks, width) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512]), start=1):
        cout = width * 4
        for b in range(blocks):
            stride = 2 if (b == 0 and stage > 1) else 1
            n = f"layer{stage}.{b}"
            r = _conv(w, y, n + ".conv1", width, cin, 1, 1, relu=True)
            r = _conv(w, r, n + ".conv2", width, width, 3, stride, relu=True)
            # Damp the last conv of each residual branch so the 16 additions don't blow up the scale.
            r = _conv(w, r, n + ".conv3", cout, width, 1, 1, relu=False, gain=0.2)
            if b == 0:
                shortcut = _conv(w, y, n + ".downsample", cout, cin, 1, stride, relu=False,
                                 gain=np.sqrt(0.5))
            else:
                shortcut = y
            s = ops.add(r, shortcut)
            s.set_friendly_name(n + ".add")
            y = ops.relu(s)
            y.set_friendly_name(n + ".relu")
            cin = cout
    y = ops.reduce_mean(y, ops.constant(np.array([2, 3], dtype=np.int64)), keep_dims=False)
    y.set_friendly_name("avgpool")
    fc_w = w.rng.standard_normal((1000, 2048), dtype=np.float32) * np.float32(np.sqrt(1.0 / 2048))
    y = ops.matmul(y, ops.constant(fc_w), transpose_a=False, transpose_b=True)
    y.set_friendly_name("fc")
    y = ops.add(y, ops.constant(np.zeros((1, 1000), dtype=np.float32)))
    y.set_friendly_name("fc.bias")
    y = ops.softmax(y, 1)
    return ov.Model([named_output(y.output(0), "1463")], [x], "resnet50")


def check_resnet(run):
    x = np.random.default_rng(SEED + 1).standard_normal((1, 3, 224, 224), dtype=np.float32)
    for strict in (True, False):
        out = run({"0": x}, strict)["1463"]
        assert out.shape == (1, 1000) and out.dtype == np.float32, (out.shape, out.dtype)
        assert np.isfinite(out).all(), "resnet output has inf/nan"
        assert (out >= 0).all(), "softmax output negative"
        assert abs(float(out.sum()) - 1.0) < 1e-3, f"softmax sums to {out.sum()}"
    return f"top1={int(out.argmax())} p={float(out.max()):.4f}"


# The reference the tests compare served ResNet results with (see write_resnet_reference). Noise alone
# barely moves this randomly initialised network (global average pooling and the biases dominate:
# another noise image gives almost the same top 5), so the input has structure that a wrong layout or
# channel order destroys: channels of different scales and offsets, and a ramp along W that rises in
# channel 0 and falls in channel 2.
RESNET_REFERENCE_TOLERANCE = 0.05  # max |log p - log p_ref|, as ResnetReferenceTest compares


def resnet_reference_input():
    x = np.random.default_rng(SEED + 1).standard_normal((1, 3, 224, 224), dtype=np.float32)
    per_channel = lambda *v: np.array(v, dtype=np.float32).reshape(1, 3, 1, 1)  # noqa: E731
    ramp = np.linspace(-2, 2, 224, dtype=np.float32).reshape(1, 1, 1, 224)
    return (x * per_channel(2.0, 1.0, 0.25) + per_channel(1.0, 0.0, -1.0)
            + ramp * per_channel(1.0, 0.0, -1.0)).astype(np.float32)


def resnet_matches(out, ref):
    """The tests' criterion: the same top 1, the same top-5 set, log-probabilities within the tolerance."""
    top5 = lambda p: set(np.argsort(-p.reshape(-1))[:5].tolist())  # noqa: E731
    return (int(out.argmax()) == int(ref.argmax()) and top5(out) == top5(ref)
            and float(np.abs(np.log(out) - np.log(ref)).max()) < RESNET_REFERENCE_TOLERANCE)


def write_resnet_reference(core, out_dir, force):
    """Writes the reference input and its output with the plugin defaults, as ovserve compiles ResNet.

    On CPUs with avx512_bf16 the defaults run in bf16, elsewhere in f32: the tolerance covers both (the
    f32 output must match too), and fails inputs with the channels swapped, read as NHWC, or with H and
    W transposed, so a test using it catches those mistakes (measured: bf16 vs f32 0.017; those ≥ 0.19).
    """
    if not force and _references_present(out_dir):
        print("reference: exists, skipped", flush=True)
        return
    t0 = time.monotonic()
    model = core.read_model(os.path.join(out_dir, "resnet", "1", "model.xml"))
    default = core.compile_model(model, "CPU")
    strict = core.compile_model(model, "CPU", {hints.inference_precision: ov.Type.f32})
    run = lambda compiled, x: np.array(compiled.create_infer_request().infer({"0": x})[0])  # noqa: E731
    x = resnet_reference_input()
    ref = run(default, x)
    assert resnet_matches(run(strict, x), ref), "the f32 output is outside the reference tolerance"
    wrong = {"channels swapped": x[:, ::-1], "read as NHWC": x.reshape(1, 224, 224, 3).transpose(0, 3, 1, 2),
             "H and W transposed": x.transpose(0, 1, 3, 2)}
    for what, bad in wrong.items():
        assert not resnet_matches(run(default, np.ascontiguousarray(bad)), ref), f"{what} passes the reference"
    ref_dir = os.path.join(out_dir, "reference")
    os.makedirs(ref_dir, exist_ok=True)
    for rel, array in zip(REFERENCE_FILES, (x, ref)):
        path = os.path.join(out_dir, rel)
        tmp = path + ".tmp"
        array.astype("<f4").tofile(tmp)
        os.replace(tmp, path)
    print(f"reference: written in {time.monotonic() - t0:.1f}s, top1={int(ref.argmax())} "
          f"p={float(ref.max()):.4f}", flush=True)


# --------------------------------------------------------------------------------------------------
# small models


def build_affine(scale):
    def build():
        x = parameter("x", [1, 4], ov.Type.f32)
        y = ops.add(ops.multiply(x, f32(scale)), f32(1.0))
        return ov.Model([named_output(y.output(0), "y")], [x], f"affine_{int(scale)}x_plus_1")
    return build


def check_affine(scale):
    def check(run):
        x = np.array([[0.0, 1.0, 2.5, -3.25]], dtype=np.float32)
        for strict in (True, False):
            y = run({"x": x}, strict)["y"]
            np.testing.assert_array_equal(y, x * np.float32(scale) + np.float32(1))
        return f"y({x.tolist()[0]})={y.tolist()[0]}"
    return check


def build_conv():
    x = parameter("x", [1, 1, 4, 4], ov.Type.f32)
    c = ops.convolution(x, f32(np.ones((1, 1, 2, 2))), [1, 1], [0, 0], [0, 0], [1, 1])
    y = ops.add(c, f32(np.full((1, 1, 1, 1), 0.5)))
    return ov.Model([named_output(y.output(0), "y")], [x], "conv2x2_ones_plus_half")


def _conv_expected(x):
    a = x[0, 0]
    return (a[:-1, :-1] + a[:-1, 1:] + a[1:, :-1] + a[1:, 1:] + np.float32(0.5)).reshape(1, 1, 3, 3)


def check_conv(run):
    # Small integers are exact even if the plugin runs the convolution in bf16.
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    for strict in (True, False):
        y = run({"x": x}, strict)["y"]
        np.testing.assert_array_equal(y, _conv_expected(x))
    xr = np.random.default_rng(SEED + 2).standard_normal((1, 1, 4, 4), dtype=np.float32)
    np.testing.assert_allclose(run({"x": xr}, True)["y"], _conv_expected(xr), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(run({"x": xr}, False)["y"], _conv_expected(xr), rtol=2e-2, atol=5e-2)
    return f"y(arange16)={y.reshape(-1).tolist()}"


def build_channel_mean(shape, spatial_axes, model_name):
    """An image model: input "image" of `shape`, output "mean" per channel, over `spatial_axes`."""
    def build():
        x = parameter("image", shape, ov.Type.f32)
        y = ops.reduce_mean(x, ops.constant(np.array(spatial_axes, dtype=np.int64)), keep_dims=False)
        return ov.Model([named_output(y.output(0), "mean")], [x], model_name)
    return build


def check_image(run):
    solid = np.empty((1, 3, 8, 8), dtype=np.float32)
    solid[0, 0], solid[0, 1], solid[0, 2] = 10.0, 128.0, 255.0  # B, G, R of a solid colour
    xr = np.random.default_rng(SEED + 3).uniform(0, 255, (1, 3, 8, 8)).astype(np.float32)
    for strict in (True, False):
        m = run({"image": solid}, strict)["mean"]
        np.testing.assert_array_equal(m, np.array([[10.0, 128.0, 255.0]], dtype=np.float32))
        np.testing.assert_allclose(run({"image": xr}, strict)["mean"], xr.mean(axis=(2, 3)),
                                   rtol=1e-5 if strict else 1e-2)
    return f"mean(solid BGR 10,128,255)={m.tolist()[0]}"


DTYPES = [  # input name, OpenVINO type, numpy type, sample values
    ("f32", ov.Type.f32, np.float32, [-1.5, 0.0, 0.25, 1e6]),
    ("f16", ov.Type.f16, np.float16, [-1.5, 0.0, 0.25, 65504.0]),
    ("f64", ov.Type.f64, np.float64, [-1.5, 0.0, 0.1, 1e30]),
    ("i8", ov.Type.i8, np.int8, [-128, -1, 0, 127]),
    ("i16", ov.Type.i16, np.int16, [-32768, -1, 0, 32767]),
    ("i32", ov.Type.i32, np.int32, [-100000, -1, 0, 16777216]),
    ("i64", ov.Type.i64, np.int64, [-100000, -1, 0, 16777216]),
    ("u8", ov.Type.u8, np.uint8, [0, 1, 128, 255]),
    ("u16", ov.Type.u16, np.uint16, [0, 1, 32768, 65535]),
    ("u32", ov.Type.u32, np.uint32, [0, 1, 2147483648, 4000000000]),
    ("u64", ov.Type.u64, np.uint64, [0, 1, 2 ** 40, 2 ** 63]),
    ("bool", ov.Type.boolean, np.bool_, [True, False, False, True]),
]


def build_dtypes():
    params, results = [], []
    for name, et, _, _ in DTYPES:
        p = parameter(name, [1, 4], et)
        v = p.output(0) if et == ov.Type.f32 else ops.convert(p, ov.Type.f32).output(0)
        y = ops.add(v, f32(1.0))
        params.append(p)
        results.append(named_output(y.output(0), name + "_out"))
    return ov.Model(results, params, "dtypes_convert_plus_1")


def check_dtypes(run):
    inputs = {name: np.array([vals], dtype=nt) for name, _, nt, vals in DTYPES}
    for strict in (True, False):
        out = run(inputs, strict)
        for name, _, _, _ in DTYPES:
            np.testing.assert_array_equal(out[name + "_out"],
                                          inputs[name].astype(np.float32) + np.float32(1),
                                          err_msg=name)
    return f"all {len(DTYPES)} inputs -> f32 + 1"


def build_dynbatch():
    x = parameter("x", [-1, 4], ov.Type.f32)
    y = ops.add(ops.multiply(x, f32(2.0)), f32(1.0))
    return ov.Model([named_output(y.output(0), "y")], [x], "dynbatch_2x_plus_1")


def check_dynbatch(run):
    for batch in (1, 3, 8):
        x = np.arange(batch * 4, dtype=np.float32).reshape(batch, 4) - 5
        for strict in (True, False):
            np.testing.assert_array_equal(run({"x": x}, strict)["y"], x * 2 + 1)
    return "batches 1,3,8 ok"


ONNX_W = np.array([[1.0, -1.0], [2.0, 0.5], [-3.0, 0.0], [0.25, 4.0]], dtype=np.float32)
ONNX_B = np.array([0.5, -2.0], dtype=np.float32)


def build_onnx():
    """y = x @ W + b written as ONNX with the `onnx` package, to be served through OpenVINO's ONNX frontend."""
    import onnx  # only this model needs it (installed into the venv by native/openvino-runtime.sh)
    from onnx import helper, numpy_helper
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["y"])],
        "onnx_matmul_plus_bias",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 2])],
        initializer=[numpy_helper.from_array(ONNX_W, "w"), numpy_helper.from_array(ONNX_B, "b")])
    model = helper.make_model(graph, producer_name="ovserve generate_models.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # ONNX 1.10's: read by any ONNX frontend, whatever the installed `onnx` writes
    onnx.checker.check_model(model, full_check=True)
    return model


def check_onnx(run):
    x = np.array([[1.0, 2.0, 3.0, 4.0]], dtype=np.float32)  # integers: exact in bf16 matmuls too
    xr = np.random.default_rng(SEED + 5).standard_normal((1, 4), dtype=np.float32)
    for strict in (True, False):
        y = run({"x": x}, strict)["y"]
        np.testing.assert_array_equal(y, np.array([[-2.5, 14.0]], dtype=np.float32))
        np.testing.assert_allclose(run({"x": xr}, strict)["y"], xr @ ONNX_W + ONNX_B,
                                   rtol=1e-5 if strict else 2e-2, atol=1e-5 if strict else 5e-2)
    return f"y({x.tolist()[0]})={y.tolist()[0]}"


def check_image_nhwc(run):
    halves = np.empty((1, 8, 8, 3), dtype=np.float32)
    halves[0, :, :4] = [10.0, 128.0, 255.0]  # B, G, R of the left half
    halves[0, :, 4:] = [0.0, 64.0, 1.0]  # and of the right half
    for strict in (True, False):
        m = run({"image": halves}, strict)["mean"]
        np.testing.assert_array_equal(m, np.array([[5.0, 96.0, 128.0]], dtype=np.float32))
    return f"mean(halves BGR 10,128,255 | 0,64,1)={m.tolist()[0]}"


def check_image_batch(run):
    bgr = np.array([[10.0, 128.0, 255.0], [0.0, 0.0, 0.0], [255.0, 1.0, 64.0]], dtype=np.float32)
    solids = np.broadcast_to(bgr.reshape(3, 3, 1, 1), (3, 3, 8, 8)).astype(np.float32)
    for strict in (True, False):
        np.testing.assert_array_equal(run({"image": solids}, strict)["mean"], bgr)
        np.testing.assert_array_equal(run({"image": solids[:1]}, strict)["mean"], bgr[:1])
    return "batches 1,3 of solid images ok"


def _bf16_bits(values):
    """bfloat16 bit patterns of values exact in bf16 (the upper half of their f32 bits)."""
    return (np.asarray(values, dtype=np.float32).view(np.uint32) >> 16).astype(np.uint16)


def build_bf16():
    x = parameter("x", [1, 4], ov.Type.bf16)
    y = ops.add(ops.convert(x, ov.Type.f32), f32(1.0))
    y_bf16 = ops.convert(y, ov.Type.bf16)
    return ov.Model([named_output(y.output(0), "y"), named_output(y_bf16.output(0), "y_bf16")], [x],
                    "bf16_convert_plus_1")


def check_bf16(run):
    values = [1.0, -2.0, 0.5, 3.0]
    x = ov.Tensor(ov.Type.bf16, ov.Shape([1, 4]))
    x.data.view(np.uint16)[...] = _bf16_bits(values).reshape(1, 4)  # numpy has no bf16: write the bits
    expected = np.array([values], dtype=np.float32) + 1
    for strict in (True, False):
        out = run({"x": x}, strict)
        np.testing.assert_array_equal(out["y"], expected)
        np.testing.assert_array_equal(out["y_bf16"].view(np.uint16), _bf16_bits(expected))
    return f"y({values})={out['y'].tolist()[0]}"


def build_strings():
    x = parameter("text", [1, 2], ov.Type.string)
    y = ops.reshape(x, ops.constant(np.array([2], dtype=np.int64)), False)
    return ov.Model([named_output(y.output(0), "words")], [x], "strings_reshape")


def check_strings(run):
    for strict in (True, False):
        words = run({"text": np.array([["hello", "ovserve"]])}, strict)["words"]
        assert words.tolist() == ["hello", "ovserve"], words
    return f"words={words.tolist()}"


# --------------------------------------------------------------------------------------------------
# model table: name, version, builder, checker, inputs {name: (shape, type)}, outputs (same)

F32 = ov.Type.f32
MODELS = [
    ("resnet", 1, build_resnet50, check_resnet,
     {"0": ([1, 3, 224, 224], F32)}, {"1463": ([1, 1000], F32)}),
    ("affine", 1, build_affine(2.0), check_affine(2.0), {"x": ([1, 4], F32)}, {"y": ([1, 4], F32)}),
    ("affine", 2, build_affine(3.0), check_affine(3.0), {"x": ([1, 4], F32)}, {"y": ([1, 4], F32)}),
    ("conv", 1, build_conv, check_conv, {"x": ([1, 1, 4, 4], F32)}, {"y": ([1, 1, 3, 3], F32)}),
    ("image", 1, build_channel_mean([1, 3, 8, 8], [2, 3], "image_channel_mean"), check_image,
     {"image": ([1, 3, 8, 8], F32)}, {"mean": ([1, 3], F32)}),
    ("dtypes", 1, build_dtypes, check_dtypes,
     {name: ([1, 4], et) for name, et, _, _ in DTYPES},
     {name + "_out": ([1, 4], F32) for name, _, _, _ in DTYPES}),
    ("dynbatch", 1, build_dynbatch, check_dynbatch, {"x": ([-1, 4], F32)}, {"y": ([-1, 4], F32)}),
    ("onnx", 1, build_onnx, check_onnx, {"x": ([1, 4], F32)}, {"y": ([1, 2], F32)}),
    ("image-nhwc", 1, build_channel_mean([1, 8, 8, 3], [1, 2], "image_nhwc_channel_mean"), check_image_nhwc,
     {"image": ([1, 8, 8, 3], F32)}, {"mean": ([1, 3], F32)}),
    ("image-batch", 1, build_channel_mean([-1, 3, 8, 8], [2, 3], "image_batch_channel_mean"),
     check_image_batch,
     {"image": ([-1, 3, 8, 8], F32)}, {"mean": ([-1, 3], F32)}),
    # bf16 and string ports: loaded by the tests from their own config (unsupported-models.json)
    ("bf16", 1, build_bf16, check_bf16, {"x": ([1, 4], ov.Type.bf16)},
     {"y": ([1, 4], F32), "y_bf16": ([1, 4], ov.Type.bf16)}),
    ("strings", 1, build_strings, check_strings, {"text": ([1, 2], ov.Type.string)},
     {"words": ([2], ov.Type.string)}),
]


def _check_ports(ports, expected, kind):
    got = [(p.get_any_name(), p.get_names(), p.get_partial_shape(), p.get_element_type()) for p in ports]
    assert [g[0] for g in got] == list(expected), f"{kind} names {[g[0] for g in got]} != {list(expected)}"
    for (name, names, shape, et), (shp, typ) in zip(got, expected.values()):
        assert names == {name}, f"{kind} {name} has extra tensor names {names}"
        assert shape == ov.PartialShape(shp), f"{kind} {name} shape {shape} != {shp}"
        assert et == typ, f"{kind} {name} type {et} != {typ}"


def verify(core, model_path, checker, inputs, outputs):
    model = core.read_model(model_path)
    _check_ports(model.inputs, inputs, "input")
    _check_ports(model.outputs, outputs, "output")
    for p in model.get_parameters():
        assert p.get_friendly_name() == p.output(0).get_any_name(), p.get_friendly_name()
    if model_path.endswith(".xml"):  # the ONNX frontend names Results after their producer ("y/sink_port_0")
        for r in model.get_results():
            assert r.get_friendly_name() == r.input_value(0).get_any_name(), r.get_friendly_name()
    compiled = {
        True: core.compile_model(model, "CPU", {hints.inference_precision: ov.Type.f32}),
        False: core.compile_model(model, "CPU"),
    }

    def run(feed, strict):
        res = compiled[strict].create_infer_request().infer(feed)
        return {port.get_any_name(): np.array(value) for port, value in res.items()}

    return checker(run)


def save(model, path):
    if isinstance(model, ov.Model):
        ov.save_model(model, path, compress_to_fp16=False)
    else:  # an onnx.ModelProto
        with open(path, "wb") as f:
            f.write(model.SerializeToString())


def generate(core, out_dir, name, version, builder, checker, inputs, outputs, force):
    model_dir = os.path.join(out_dir, name)
    version_dir = os.path.join(model_dir, str(version))
    if not force and _present(out_dir, name, version):
        print(f"{name}/{version}: exists, skipped", flush=True)
        return
    os.makedirs(model_dir, exist_ok=True)
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=model_dir)
    files = _model_files(name)
    try:
        model = builder()
        t_build = time.monotonic() - t0
        tmp_model = os.path.join(tmp, files[0])
        save(model, tmp_model)
        del model
        with open(os.path.join(tmp, "revision"), "w") as f:
            f.write(f"{REVISIONS.get((name, version), 1)}\n")
        t_save = time.monotonic() - t0 - t_build
        note = verify(core, tmp_model, checker, inputs, outputs)
        t_verify = time.monotonic() - t0 - t_build - t_save
        os.chmod(tmp, 0o755)
        if os.path.lexists(version_dir):
            shutil.rmtree(version_dir)
        os.rename(tmp, version_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    size = os.path.getsize(os.path.join(version_dir, files[-1]))
    sig = lambda d: ", ".join(f"{n}{s}:{t.get_type_name()}" for n, (s, t) in d.items())  # noqa: E731
    print(f"{name}/{version}: generated+verified in {time.monotonic() - t0:.1f}s "
          f"(build {t_build:.1f}s, save {t_save:.1f}s, verify {t_verify:.1f}s, {files[-1]} {size} B) "
          f"in[{sig(inputs)}] out[{sig(outputs)}] {note}", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output_dir")
    ap.add_argument("--force", action="store_true", help="regenerate models that already exist")
    args = ap.parse_args(argv)
    out_dir = os.path.abspath(args.output_dir)
    assert [(m[0], m[1]) for m in MODELS] == MODEL_VERSIONS, "MODEL_VERSIONS out of date"
    os.makedirs(out_dir, exist_ok=True)
    core = None
    for name, version, builder, checker, inputs, outputs in MODELS:
        if core is None and (args.force or not _present(out_dir, name, version)):
            core = ov.Core()
        generate(core, out_dir, name, version, builder, checker, inputs, outputs, args.force)
    if args.force or not _references_present(out_dir):
        write_resnet_reference(core or ov.Core(), out_dir, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
