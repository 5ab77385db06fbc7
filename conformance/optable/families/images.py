"""tf.image: flips, crops, resizes, colour-space conversions, adjustments, filters.

Images are a (1, 4, 4, 3) batch in [0, 1] (colour ops need three channels).
"""

from __future__ import annotations

from ..table import REAL, OpEntry, arr
from ._build import E, S, rand

IM = "images"
IMG = rand(IM, (1, 4, 4, 3), 0.05, 0.95)
IMG1 = rand(IM, (1, 4, 4, 1), 0.05, 0.95, k=1)


def _im(api: str, *samples, dtypes=REAL, call=None, note="") -> OpEntry:
    return E(api, IM, list(samples) or [S("typical", IMG)], dtypes=dtypes, call=call, note=note)


SIMPLE = [
    "flip_left_right",
    "flip_up_down",
    "rot90",
    "transpose",
    "rgb_to_grayscale",
    "rgb_to_yiq",
    "yiq_to_rgb",
    "rgb_to_yuv",
    "yuv_to_rgb",
    "rgb_to_hsv",
    "hsv_to_rgb",
    "per_image_standardization",
    "total_variation",
    "image_gradients",
    "sobel_edges",
]


def entries() -> list[OpEntry]:
    found = [_im(f"tf.image.{name}") for name in SIMPLE if name != "hsv_to_rgb"]
    found.append(
        E(
            "tf.image.hsv_to_rgb",
            IM,
            [S("typical", IMG)],
            dtypes=REAL,
            convention="TF returns None: HSVToRGB has no registered gradient function",
        )
    )
    found += [
        _im("tf.image.grayscale_to_rgb", S("typical", IMG1)),
        _im(
            "tf.image.resize",
            S("bilinear", IMG, size=[6, 5]),
            S("nearest", IMG, size=[3, 6], method="nearest"),
            S("bicubic", IMG, size=[5, 5], method="bicubic"),
            S("area", IMG, size=[2, 2], method="area"),
            S("lanczos3", IMG, size=[5, 3], method="lanczos3"),
            S("antialias", IMG, size=[2, 3], antialias=True),
        ),
        _im("tf.image.resize_with_pad", S("typical", IMG, target_height=6, target_width=5)),
        _im("tf.image.resize_with_crop_or_pad", S("typical", IMG, target_height=3, target_width=6)),
        _im(
            "tf.image.crop_to_bounding_box",
            S("typical", IMG, offset_height=1, offset_width=0, target_height=2, target_width=3),
        ),
        _im(
            "tf.image.pad_to_bounding_box",
            S("typical", IMG, offset_height=1, offset_width=2, target_height=6, target_width=7),
        ),
        _im("tf.image.central_crop", S("typical", IMG, central_fraction=0.5)),
        _im(
            "tf.image.crop_and_resize",
            S("typical", IMG, arr([[0.1, 0.2, 0.8, 0.9]]), box_indices=[0], crop_size=[3, 3]),
            dtypes=("float32",),
            call=lambda tf, x, b, **kw: tf.image.crop_and_resize(x, b, **kw),
        ),
        _im(
            "tf.image.extract_patches",
            S(
                "typical",
                IMG,
                sizes=[1, 2, 2, 1],
                strides=[1, 2, 2, 1],
                rates=[1, 1, 1, 1],
                padding="VALID",
            ),
        ),
        _im(
            "tf.image.extract_glimpse",
            S("typical", IMG, size=[2, 2], offsets=[[0.0, 0.0]]),
            dtypes=("float32",),
        ),
        _im("tf.image.adjust_brightness", S("typical", IMG, delta=0.1)),
        _im("tf.image.adjust_contrast", S("typical", IMG, contrast_factor=1.5)),
        _im("tf.image.adjust_gamma", S("typical", IMG, gamma=1.5, gain=1.2)),
        _im(
            "tf.image.adjust_saturation",
            S("typical", IMG, saturation_factor=0.7),
            dtypes=("float32",),
        ),
        _im("tf.image.adjust_hue", S("typical", IMG, delta=0.1), dtypes=("float32",)),
        _im(
            "tf.image.convert_image_dtype",
            S("typical", IMG),
            call=lambda tf, x: tf.image.convert_image_dtype(
                x, tf.float64 if x.dtype == tf.float32 else tf.float32
            ),
        ),
        _im(
            "tf.image.psnr", S("typical", IMG, rand(IM, (1, 4, 4, 3), 0.05, 0.95, k=2), max_val=1.0)
        ),
        _im(
            "tf.image.ssim",
            S(
                "typical",
                rand(IM, (1, 12, 12, 1), 0.05, 0.95, k=3),
                rand(IM, (1, 12, 12, 1), 0.05, 0.95, k=4),
                max_val=1.0,
                filter_size=3,
            ),
        ),
    ]
    return found
