"""The minimal reference poller: asyncio + aiohttp (50 concurrent) + fastfeedparser + one
SQLite insert batch per feed, with ETags. Polls every feed once.

    python -m bench.reference --db ref.db --url http://127.0.0.1:8800/feed/{}.xml --feeds 1000
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time

import aiohttp
import fastfeedparser


async def poll_one(session: aiohttp.ClientSession, db: sqlite3.Connection, url: str,
                   limit: asyncio.Semaphore) -> None:
    row = db.execute("SELECT etag FROM feeds WHERE url = ?", [url]).fetchone()
    headers = {"If-None-Match": row[0]} if row and row[0] else {}
    async with limit, session.get(url, headers=headers) as resp:
        if resp.status == 304:
            return
        body = await resp.read()
        etag = resp.headers.get("ETag")
    parsed = fastfeedparser.parse(body)
    rows = [(url, e.get("id") or e.get("link"), e.get("title"), e.get("link"),
             e.get("description")) for e in parsed.entries]
    with db:
        db.executemany("INSERT OR IGNORE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?)", [url, etag])


async def poll_all(db_path: str, url: str, feeds: int) -> None:
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS entries (feed TEXT, key TEXT, title TEXT, "
               "link TEXT, text TEXT, UNIQUE (feed, key))")
    limit = asyncio.Semaphore(50)
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(poll_one(session, db, url.format(n), limit)
                               for n in range(feeds)))
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--feeds", type=int, default=1000)
    args = parser.parse_args()
    started = time.monotonic()
    asyncio.run(poll_all(args.db, args.url, args.feeds))
    print(f"cycle: {args.feeds} feeds in {time.monotonic() - started:.3f}s")  # as monitor poll


if __name__ == "__main__":
    main()
