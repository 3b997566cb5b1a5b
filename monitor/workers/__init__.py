"""Contained worker processes that parse documents and match their entries (``pool``).

Kept out of ``monitor.pipeline`` on purpose: a worker imports only this package, the
parsers and the matcher, never aiohttp, click or sqlite-utils (67 MB per worker, not 94).
"""
