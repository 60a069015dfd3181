"""Array aliases shared by the engine modules.

The engine stores everything in flat numpy arrays (never one Python object per student), so these
aliases make the intended dtype visible in every signature.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
U32Array = npt.NDArray[np.uint32]

INT64_MAX = int(np.iinfo(np.int64).max)
