"""SHA-256 of what OpenCV decodes cmyk.jpg and ycck.jpg to, at their own size and resized as the test
resizes them: cv2.imdecode(..., IMREAD_COLOR), then cv2.resize(..., INTER_LINEAR) unless the size is
the image's own. Run from this directory with opencv-python-headless (JpegDecoderTest's digests: 5.1.0)."""
import hashlib

import cv2
import numpy as np

print("opencv", cv2.__version__)
for name in ("cmyk.jpg", "ycck.jpg"):
    with open(name, "rb") as file:
        image = cv2.imdecode(np.frombuffer(file.read(), np.uint8), cv2.IMREAD_COLOR)
    for width, height in ((61, 45), (224, 224), (30, 20)):
        pixels = image if (width, height) == (61, 45) else cv2.resize(
            image, (width, height), interpolation=cv2.INTER_LINEAR)
        print(name, width, height, hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest())
