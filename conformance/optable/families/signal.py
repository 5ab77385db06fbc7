"""tf.signal: FFTs (complex and real), DCTs, framing and short-time transforms."""

from __future__ import annotations

from ..table import COMPLEX, REAL, OpEntry
from ._build import E, S, rand

G = "signal"


def _sig(api: str, *samples, dtypes=REAL, call=None, note="") -> OpEntry:
    return E(api, G, list(samples), dtypes=dtypes, call=call, note=note)


def entries() -> list[OpEntry]:
    v, m, c = rand(G, (2, 8)), rand(G, (2, 4, 4), k=1), rand(G, (2, 2, 2, 2), k=2)
    found = [
        _sig("tf.signal.fft", S("typical", v), dtypes=COMPLEX),
        _sig("tf.signal.ifft", S("typical", v), dtypes=COMPLEX),
        _sig("tf.signal.fft2d", S("typical", m), dtypes=COMPLEX),
        _sig("tf.signal.ifft2d", S("typical", m), dtypes=COMPLEX),
        _sig("tf.signal.fft3d", S("typical", c), dtypes=COMPLEX),
        _sig("tf.signal.ifft3d", S("typical", c), dtypes=COMPLEX),
        _sig("tf.signal.rfft", S("typical", v), S("padded", v, fft_length=[10])),
        _sig("tf.signal.rfft2d", S("typical", m)),
        _sig("tf.signal.rfft3d", S("typical", c)),
        _sig("tf.signal.irfft", S("typical", rand(G, (2, 5), k=3)), dtypes=COMPLEX),
        _sig("tf.signal.irfft2d", S("typical", rand(G, (2, 4, 3), k=4)), dtypes=COMPLEX),
        _sig("tf.signal.irfft3d", S("typical", rand(G, (2, 2, 2), k=5)), dtypes=COMPLEX),
        _sig("tf.signal.fftshift", S("typical", v)),
        _sig("tf.signal.ifftshift", S("typical", v)),
        _sig(
            "tf.signal.dct",
            S("type2", v),
            S("type3-ortho", v, type=3, norm="ortho"),
            S("type1", v, type=1),
        ),
        _sig("tf.signal.idct", S("type2", v), S("ortho", v, norm="ortho")),
        _sig("tf.signal.frame", S("typical", v, frame_length=3, frame_step=2)),
        _sig("tf.signal.overlap_and_add", S("typical", rand(G, (2, 3, 4), k=6), frame_step=2)),
        _sig(
            "tf.signal.stft",
            S("typical", rand(G, (1, 16), k=7), frame_length=8, frame_step=4),
            dtypes=("float32", "float64"),
        ),
        _sig(
            "tf.signal.inverse_stft",
            S("typical", rand(G, (1, 3, 5), k=8), frame_length=8, frame_step=4),
            dtypes=COMPLEX,
        ),
        _sig("tf.signal.mdct", S("typical", rand(G, (1, 16), k=10), frame_length=8)),
        _sig("tf.signal.inverse_mdct", S("typical", rand(G, (1, 3, 4), k=11))),
        _sig("tf.signal.fftnd", S("typical", m, axes=[-2, -1]), dtypes=COMPLEX),
        _sig("tf.signal.ifftnd", S("typical", m, axes=[-2, -1]), dtypes=COMPLEX),
        _sig("tf.signal.rfftnd", S("typical", m, axes=[-2, -1])),
        _sig(
            "tf.signal.irfftnd",
            S("typical", rand(G, (2, 4, 3), k=12), axes=[-2, -1]),
            dtypes=COMPLEX,
        ),
        _sig("tf.signal.mfccs_from_log_mel_spectrograms", S("typical", rand(G, (2, 6), k=9))),
    ]
    return found
