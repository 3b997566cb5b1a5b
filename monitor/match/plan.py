"""Cheap conditions computed once per watch: the key groups an entry must contain for the
watch to be true, and the anchor keys the matcher indexes the watch by (so an entry is
only evaluated against watches whose anchors it contains)."""

from __future__ import annotations

from monitor.match.engine import CompiledWord
from monitor.match.query import And, Near, Node, Not, Terms, Word

Requirement = tuple[frozenset[str], ...]


def requirements(node: Node, words: dict[Word, CompiledWord]) -> Requirement:
    """Key groups that must each meet the entry's keys for the node to be true (a cheap
    necessary condition checked before any positions are built)."""
    if isinstance(node, Terms):
        if "url" in node.fields or node.fields == ("feed",):
            return ()
        return tuple(words[w].keys for w in node.words)
    if isinstance(node, Not):
        return ()
    if isinstance(node, Near):
        return requirements(node.left, words) + requirements(node.right, words)
    parts = [requirements(c, words) for c in node.children]
    if isinstance(node, And):
        return tuple(g for part in parts for g in part)
    if any(not part for part in parts):
        return ()
    return (frozenset(k for part in parts for group in part for k in group),)


def anchors(node: Node, words: dict[Word, CompiledWord]) -> frozenset[str] | None:
    """Keys of which a matching entry must contain at least one; None: cannot tell."""
    if isinstance(node, Terms):
        if "url" in node.fields or node.fields == ("feed",):
            return None
        word = max(node.words, key=lambda w: (not w.prefix, len(w.text)))
        return words[word].keys
    if isinstance(node, Not):
        return None
    if isinstance(node, Near):
        return anchors(node.left, words)
    options = [anchors(c, words) for c in node.children]
    if isinstance(node, And):
        known = [o for o in options if o is not None]
        return min(known, key=len) if known else None
    if any(o is None for o in options):
        return None
    return frozenset(key for o in options if o is not None for key in o)
