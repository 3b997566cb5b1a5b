"""What a command starts before the CLI's own imports.

``poll`` and ``run`` parse documents in worker processes forked from a forkserver, a
fresh interpreter that imports the parsers and the matcher (about 0.25 s). Started here,
before the CLI imports aiohttp, click and sqlite-utils (0.3 s), it does that on the other
core meanwhile, and the first fetched document finds the workers ready: a cold poll of
1,000 realistic feeds 7.62 -> 7.40 s (median of 4 alternated pairs). A poll where every
feed answers 304 never uses it: 0.05 s of its 0.6 s, 0.23 s of CPU on the idle core.
"""

from __future__ import annotations

PARSING_COMMANDS = frozenset({"poll", "run"})
_VALUED = frozenset({"--config", "--db"})  # the group's options that take a value


def command_of(argv: list[str]) -> str | None:
    """The command of a command line: the first argument that is neither an option nor
    an option's value, as click finds it (None for none)."""
    skip = False
    for arg in argv:
        if skip or arg in _VALUED:
            skip = not skip
            continue
        if not arg.startswith("-"):
            return arg
    return None


def start_for(argv: list[str]) -> bool:
    """Start the workers' forkserver when the command parses documents (and the command
    line asks for no help); return whether it did."""
    if command_of(argv) not in PARSING_COMMANDS or {"-h", "--help"} & set(argv):
        return False
    from monitor.workers.pool import start_forkserver

    start_forkserver()
    return True
