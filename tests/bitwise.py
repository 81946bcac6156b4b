"""Equality bit for bit of nested results (dataclasses, dicts, tuples and lists, numpy
arrays, scalars; NaN equal to NaN), for the tests that compare a faster path with the
path it replaces."""

from __future__ import annotations

import dataclasses

import numpy as np


def same(a: object, b: object, where: str = "") -> None:
    """Assert ``a`` and ``b`` equal bit for bit, field by field; ``where`` names the place
    of the first difference in the assertion message."""
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where  # type: ignore[union-attr]
        for k in a:
            same(a[k], b[k], f"{where}/{k}")  # type: ignore[index]
    elif isinstance(a, (tuple, list)):
        assert isinstance(b, type(a)) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        b = np.asarray(b)
        assert a.shape == b.shape and a.dtype == b.dtype, where
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    else:
        assert a == b or (a != a and b != b), (where, a, b)
