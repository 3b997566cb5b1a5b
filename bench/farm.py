"""A local feed farm: N RSS feeds of 50 items built from ../shared/corpus/news text.

    python -m bench.farm --feeds 1000 --port 8800 [--latency 0.1]

Feeds are shaped like real news feeds (issue 17): 50 items of 1,200-2,400 characters of
text (consecutive corpus texts joined), 60-120 KB, served gzip-compressed to a client
that accepts it, with an ETag and a Last-Modified, and 304 to a matching If-None-Match
or If-Modified-Since. ``POST /change`` publishes 5 new items in 10% of the feeds (the
next ones in turn). Every version of a feed is built and compressed before it is served
(at start, and on ``/change``), so no poller pays for it.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news"


def load_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            texts.append((item["title"], (item.get("text") or item["title"])[:2000]))
    return texts


class Farm:
    def __init__(self, feeds: int, latency: float) -> None:
        self.texts = load_texts()
        self.latency = latency
        self.version = [0] * feeds
        self.next_change = 0
        self.cache: dict[tuple[int, int], tuple[bytes, str]] = {}
        self.gzipped: dict[tuple[int, int], bytes] = {}
        for n in range(feeds):  # built before serving: every poller's cold cycle finds
            self.body(n)        # the same farm (else the first one pays for building)

    def body(self, n: int) -> tuple[bytes, str]:
        key = (n, self.version[n])
        if key not in self.cache:
            first = n * 50 + self.version[n] * 5
            items = "".join(self._item(n, i) for i in range(first, first + 50))
            doc = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                   f"<title>feed {n}</title><link>https://farm.example/{n}</link>"
                   f"<description>bench</description>{items}</channel></rss>").encode()
            self.cache[key] = doc, '"' + hashlib.md5(doc).hexdigest() + '"'
            self.gzipped[key] = gzip.compress(doc, 6)
        return self.cache[key]

    def modified(self, n: int) -> str:
        """The feed's Last-Modified: an hour later for each new version."""
        return formatdate(1_790_000_000 + 3600 * self.version[n], usegmt=True)

    def _text(self, i: int) -> tuple[str, str]:
        """A title and 1,200-2,400 characters of text from consecutive corpus items."""
        start = (i * 7919) % len(self.texts)
        title, text = self.texts[start]
        k = start + 1
        while len(text) < 1200:
            text += " " + self.texts[k % len(self.texts)][1]
            k += 1
        return title, text[:2400]

    def _item(self, n: int, i: int) -> str:
        title, text = self._text(i)
        return (f"<item><guid>farm-{n}-{i}</guid><title>{escape(title)}</title>"
                f"<link>https://farm.example/{n}/{i}</link>"
                f"<description>{escape(text)}</description>"
                f"<pubDate>Fri, 10 Sep 2021 12:00:00 +0000</pubDate></item>")

    async def feed(self, request: web.Request) -> web.Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        n = int(request.match_info["n"])
        doc, etag = self.body(n)
        headers = {"ETag": etag, "Last-Modified": self.modified(n)}
        if request.headers.get("If-None-Match") == etag or \
                request.headers.get("If-Modified-Since") == headers["Last-Modified"]:
            return web.Response(status=304, headers=headers)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            doc = self.gzipped[(n, self.version[n])]
        return web.Response(body=doc, content_type="application/rss+xml", headers=headers)

    async def change(self, request: web.Request) -> web.Response:
        count = max(1, len(self.version) // 10)
        for _ in range(count):
            n = self.next_change % len(self.version)
            self.version[n] += 1
            self.body(n)  # built now, not while a poller waits for it
            self.next_change += 1
        return web.Response(text=f"changed {count}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    farm = Farm(args.feeds, args.latency)
    app = web.Application()
    app.router.add_get("/feed/{n}.xml", farm.feed)
    app.router.add_post("/change", farm.change)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
