"""OpenVINO Model Server's own Python client (ovmsclient) against ovserve's TensorFlow Serving API, over
gRPC or over REST (JSON, images in base64).

Run by clients-check.sh against the packaged server serving test-models.json:
    ovms_client_check.py grpc|http HOST:PORT [TLS_DIR]
With TLS_DIR (the TLS pass: the server serves TLS and requires a client certificate), a plaintext client is
refused first, then the checks run over TLS with ovmsclient's tls_config. ovmsclient 2023.1's REST client
cannot speak TLS (it builds http:// URLs whatever its tls_config says), so over REST only the refusal runs.
Exits non-zero on the first check that fails; prints one line per check.
"""
import sys

import numpy as np
from ovmsclient import make_grpc_client, make_http_client
from ovmsclient.tfs_compat.base.errors import InvalidInputError, ModelNotFoundError

from checks import check, fails_with, png, tls_files

protocol, url, tls = sys.argv[1], sys.argv[2], tls_files(sys.argv)
make_client = make_grpc_client if protocol == "grpc" else make_http_client
if tls is None:
    client = make_client(url)
else:
    ok, detail = fails_with(lambda e: isinstance(e, ConnectionError),
                            lambda: make_client(url).get_model_status("affine"))
    check("a plaintext client is refused by the TLS port", ok, detail)
    if protocol == "http":
        print("SKIPPED REST over TLS: ovmsclient's REST client sends http:// whatever its tls_config says")
        sys.exit(0)
    client = make_client(url, {"server_cert_path": tls.ca, "client_cert_path": tls.cert,
                               "client_key_path": tls.key})
status = client.get_model_status("affine")
check("model status AVAILABLE", [s["state"] for s in status.values()] == ["AVAILABLE"], status)

metadata = client.get_model_metadata("affine")
check("metadata inputs", metadata["inputs"] == {"x": {"shape": [1, 4], "dtype": "DT_FLOAT"}}, metadata["inputs"])
check("metadata outputs", metadata["outputs"] == {"y": {"shape": [1, 4], "dtype": "DT_FLOAT"}}, metadata["outputs"])

y = client.predict({"x": np.array([[1, 2, 3, 4]], dtype=np.float32)}, "affine")
check("affine y = 3x + 1", y.tolist() == [[4, 7, 10, 13]], y)

means = client.predict({"image": png(8, 8, (255, 128, 10))}, "image")
check("PNG decoded to BGR", means.flatten().tolist() == [10, 128, 255], means)
means = client.predict({"image": [png(8, 8, (255, 128, 10)), png(8, 8, (0, 0, 0))]}, "image-batch")
check("two PNGs in one request, one result each", means.tolist() == [[10, 128, 255], [0, 0, 0]], means)

types = {"f32": np.float32, "f16": np.float16, "f64": np.float64, "i8": np.int8, "i16": np.int16,
         "i32": np.int32, "i64": np.int64, "u8": np.uint8, "u16": np.uint16, "u32": np.uint32,
         "u64": np.uint64, "bool": np.bool_}
outputs = client.predict({name: np.ones((1, 4), dtype=dtype) for name, dtype in types.items()}, "dtypes")
for name in types:  # the model converts each input to f32 and adds 1
    check("dtypes " + name + " in, f32 out + 1", outputs[name + "_out"].tolist() == [[2, 2, 2, 2]], outputs[name + "_out"])

ok, detail = fails_with(lambda e: isinstance(e, ModelNotFoundError),
                        lambda: client.predict({"x": np.zeros((1, 4), dtype=np.float32)}, "nope"))
check("unknown model is NOT_FOUND", ok, detail)
ok, detail = fails_with(lambda e: isinstance(e, InvalidInputError),
                        lambda: client.predict({"x": np.zeros((1, 3), dtype=np.float32)}, "affine"))
check("wrong shape is INVALID_ARGUMENT", ok, detail)
check("still serves", client.predict({"x": np.array([[1, 2, 3, 4]], dtype=np.float32)}, "affine").tolist()
      == [[4, 7, 10, 13]])
