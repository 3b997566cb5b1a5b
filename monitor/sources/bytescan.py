"""Whether a fetched body holds any of a few byte strings: one Aho-Corasick pass
(ahocorasick_rs, a DFA) instead of a substring scan per string, 3-4x faster on a 100 KB
feed. For strings that are rare in a feed: the pass lists every occurrence."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache


@cache
def holds_any(patterns: tuple[bytes, ...]) -> Callable[[bytes], bool]:
    """A test of a body for ``patterns`` (built once per tuple; ahocorasick_rs is loaded by
    the first, so a process that never scans a body never loads it)."""
    import ahocorasick_rs as aho

    automaton = aho.BytesAhoCorasick(list(patterns), implementation=aho.Implementation.DFA)
    return lambda body: bool(automaton.find_matches_as_indexes(body))


@cache
def found_in(patterns: tuple[bytes, ...]) -> Callable[[bytes], Collection[bytes]]:
    """Which of ``patterns`` a body holds, in one pass: ``pattern in found_in(p)(body)``
    is ``pattern in body``, for several rare patterns at the cost of one substring test
    (a test for a string that starts with ``<`` stops at every tag: 40 us for 100 KB)."""
    import ahocorasick_rs as aho

    automaton = aho.BytesAhoCorasick(list(patterns), implementation=aho.Implementation.DFA)
    return lambda body: {patterns[i] for i, _, _ in  # overlapping: none hides another
                         automaton.find_matches_as_indexes(body, overlapping=True)}
