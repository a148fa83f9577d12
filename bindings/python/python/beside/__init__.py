"""Beside for Python: the uniffi binding (generated into ``beside.beside`` when the wheel is
built) re-exported here, and ``beside.research`` (pure Python, ``pip install beside[research]``)
for DataFrames in and out."""

from .beside import *  # noqa: F401,F403

import sys as _sys

from .beside import (  # noqa: E402
    beside_consent,
    beside_core,
    beside_ffi,
    beside_needs,
    beside_referral,
    beside_reintegration,
)

# The generated modules under their names before the mixed layout, too
# (`from beside.beside_referral import ...`).
for _m in (beside_consent, beside_core, beside_ffi, beside_needs, beside_referral,
           beside_reintegration):
    _sys.modules[f"{__name__}.{_m.__name__.rsplit('.', 1)[-1]}"] = _m
del _m, _sys
