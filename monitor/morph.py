"""pymorphy3's Russian analyser, loaded once per process (0.1 s; read-only afterwards), for
the stages that need Russian word forms or tenses (matching, answers, search)."""

from __future__ import annotations

from typing import Any

_ANALYSER: Any = None


def analyser() -> Any:
    global _ANALYSER
    if _ANALYSER is None:
        import pymorphy3

        _ANALYSER = pymorphy3.MorphAnalyzer()
    return _ANALYSER
