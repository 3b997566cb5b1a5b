"""Importing this module loads the Russian word-form dictionaries (pymorphy3, 0.1 s).

The parse workers' forkserver imports it (``parsepool.PRELOAD``) while the poller reads
its config, so each worker forks with the dictionaries in memory, shared copy-on-write,
instead of loading them itself when the first document of a poll arrives.
"""

from monitor.morph import analyser

analyser()
