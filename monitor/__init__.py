"""monitor: poll news feeds, match watch rules, store hits, alert.

The flow lives in :mod:`monitor.pipeline`; ``cli.py`` builds the parts.
"""

__version__ = "0.1.0"
