"""sqlite-utils' ``Database``, imported without the optional libraries monitor never uses.

sqlite-utils imports pandas and numpy whenever they are installed, only to map their value
types to column types; monitor never gives it such a value. On a machine that has them
(an analyst's, say) that was the largest import of every command: numpy alone was 43 ms of
`monitor poll`'s 0.33 s of imports here, pandas would add several times more. They are
hidden while sqlite-utils loads, and visible again afterwards: a later ``import numpy``
in the same process works as usual.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _without_optional_libraries() -> ModuleType:
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" fail
    try:
        import sqlite_utils.db
    finally:
        for name in hidden:
            del sys.modules[name]
    return sqlite_utils.db


Database = _without_optional_libraries().Database
