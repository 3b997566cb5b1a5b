"""Evidence for new entries: a ``full_text`` feed's linked articles, and every document an
entry is, links to or attaches, fetched once through the guarded fetcher (its own size
cap), archived by SHA-256 under the storage directory, its text extracted in a worker."""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import replace
from pathlib import Path

from monitor.models import Document, Entry, FeedConfig, FeedState
from monitor.pipeline.context import Context
from monitor.pipeline.limits import Limits
from monitor.sources.doctext import article, document_text
from monitor.sources.documents import is_document_link, sniff
from monitor.sources.fetch import Client, FetchOptions, fetch_feed, options_for
from monitor.workers.process import JobFailed, WorkerDied

MAX_DOCUMENTS = 5  # per entry
TEXT_DEADLINE = 60.0


class Fetcher:
    """What one cycle's evidence fetches share: the client, bounds of their own (beside
    those of the feeds' fetches), and where documents are archived."""

    def __init__(self, ctx: Context, client: Client) -> None:
        self.client = client
        settings = ctx.config.settings
        self.limits = Limits(settings.concurrency, settings.host_concurrency)
        self.archive = ctx.store.directory() / "documents"

    async def get(self, url: str, opts: FetchOptions) -> tuple[bytes, dict[str, str], str, str]:
        """(body, headers, final URL, error)."""
        async with self.limits.host(url), self.limits.total:
            result = await fetch_feed(self.client, FeedState("evidence", url), opts)
        headers = {k.lower(): v for k, v in result.headers.items()}
        return result.body, headers, result.url, result.error


async def gather(ctx: Context, fetcher: Fetcher, feed: FeedConfig,
                 entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], tuple[Document, ...]]:
    """The entries with their articles' text and documents; the documents fetched."""
    done = await asyncio.gather(*(_one(ctx, fetcher, feed, e) for e in entries))
    return tuple(e for e, _ in done), tuple(d for _, docs in done for d in docs)


async def _one(ctx: Context, fetcher: Fetcher, feed: FeedConfig,
               entry: Entry) -> tuple[Entry, list[Document]]:
    if feed.full_text and entry.url:
        entry = await _with_article(ctx, fetcher, feed, entry)
    docs = [await document(ctx, fetcher, entry.key, url) for url in entry.documents[:MAX_DOCUMENTS]]
    good = [d for d in docs if not d.error]
    return entry.with_documents(tuple(d.url for d in good), (d.text for d in good)), docs


async def _with_article(ctx: Context, fetcher: Fetcher, feed: FeedConfig,
                        entry: Entry) -> Entry:
    opts = options_for(ctx.config.settings, feed)
    body, headers, url, error = await fetcher.get(entry.url, opts)
    if error or not body or is_document_link(url, headers.get("content-type", "")):
        return entry
    try:
        text, links = await ctx.parser.run(article, (body, headers, url), opts.timeout)
    except (TimeoutError, WorkerDied, JobFailed):
        return entry
    documents = tuple(dict.fromkeys(entry.documents + links))
    return entry._replace(text=f"{entry.text}\n\n{text}".strip(), documents=documents)


async def document(ctx: Context, fetcher: Fetcher, key: str, url: str) -> Document:
    """One document: known already (fetched once), or fetched, archived and read."""
    known = ctx.store.known_document(url)
    if known is not None:
        return replace(known, entry_key=key)
    opts = replace(options_for(ctx.config.settings),
                   max_body_size=ctx.config.settings.document_max_size)
    body, headers, final, error = await fetcher.get(url, opts)
    if error:
        return Document(key, url, final, error=error)
    content_type = headers.get("content-type", "")
    kind = sniff(body, final, content_type)
    if kind in ("", "html") and not (kind == "html" and is_document_link(url)):
        return Document(key, url, final, kind, content_type, len(body),
                        error="not a document (an HTML page or an unknown type)")
    sha = hashlib.sha256(body).hexdigest()
    path = archive(fetcher.archive, sha, kind, body)
    return Document(key, url, final, kind, content_type, len(body), sha, str(path),
                    await _text(ctx, body, kind))


async def _text(ctx: Context, body: bytes, kind: str) -> str:
    try:
        text: str = await ctx.parser.run(document_text, (body, kind), TEXT_DEADLINE)
        return text
    except (TimeoutError, WorkerDied, JobFailed):
        return ""  # kept as evidence all the same; its text is not matched


def archive(directory: Path, sha: str, kind: str, body: bytes) -> Path:
    """``documents/<sha256>.<ext>``, written once, atomically."""
    path = directory / f"{sha}.{kind or 'bin'}"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + f".{os.getpid()}.partial")
        partial.write_bytes(body)
        partial.replace(path)
    return path
