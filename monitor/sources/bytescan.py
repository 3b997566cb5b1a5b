"""Whether a fetched body holds any of a few byte strings: one Aho-Corasick pass
(ahocorasick_rs, a DFA) instead of a substring scan per string, 3-4x faster on a 100 KB
feed. For strings that are rare in a feed: the pass lists every occurrence."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache
from typing import Any


def holds_any(patterns: tuple[bytes, ...]) -> Callable[[bytes], bool]:
    """A test of a body for ``patterns`` (ahocorasick_rs is loaded by the first, so a
    process that never scans a body never loads it)."""
    automaton = _automaton(patterns)
    return lambda body: bool(automaton.find_matches_as_indexes(body))


def found_in(patterns: tuple[bytes, ...]) -> Callable[[bytes], Collection[bytes]]:
    """Which of ``patterns`` a body holds, in one pass: ``pattern in found_in(p)(body)``
    is ``pattern in body``, for several rare patterns at the cost of one substring test
    (a test for a string that starts with ``<`` stops at every tag: 40 us for 100 KB)."""
    automaton = _automaton(patterns)
    return lambda body: {patterns[i] for i, _, _ in  # overlapping: none hides another
                         automaton.find_matches_as_indexes(body, overlapping=True)}


@cache
def _automaton(patterns: tuple[bytes, ...]) -> Any:
    """The DFA over ``patterns``, built once per tuple."""
    import ahocorasick_rs as aho

    return aho.BytesAhoCorasick(list(patterns), implementation=aho.Implementation.DFA)
