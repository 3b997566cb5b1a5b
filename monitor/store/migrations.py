"""Schema migrations (sqlite-utils ``Migrations``; add new ones at the end, never edit old
ones), and the two steps of opening a database that need care when processes race.

Times are ISO 8601 UTC strings (``2021-09-10T12:00:00Z``), so they sort as text.
"""

from __future__ import annotations

import sqlite3
import time

from sqlite_utils.migrations import Migrations

from monitor.store.database import Database

MIGRATIONS = Migrations("monitor")


def enable_wal(db: Database, tries: int = 100) -> None:
    """WAL mode. Switching a new file to it needs a lock that SQLite does not wait for
    (busy_timeout does not apply): when another process opens the file at that moment,
    try again (seen once in 400 simultaneous opens)."""
    for attempt in range(tries):
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05)


def migrate(db: Database) -> None:
    """Apply pending migrations under the database's write lock: a second process opening
    a new file at the same moment waits, then finds nothing left to do. (No lock is taken
    when nothing is pending, so readers never wait for a busy worker here.)"""
    if not MIGRATIONS.pending(db):
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        MIGRATIONS.apply(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    db.executescript("""
    CREATE TABLE feeds (
        name TEXT PRIMARY KEY, url TEXT NOT NULL, interval REAL,
        etag TEXT, last_modified TEXT,
        last_poll_at TEXT, last_ok_at TEXT, last_status TEXT, last_error TEXT DEFAULT '',
        http_status INTEGER, error_count INTEGER NOT NULL DEFAULT 0,
        next_check_at TEXT, created_at TEXT
    );
    CREATE INDEX feeds_next_check ON feeds (next_check_at);
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY, feed TEXT NOT NULL, key TEXT NOT NULL,
        title TEXT, url TEXT, published TEXT, author TEXT, text TEXT,
        first_seen_at TEXT NOT NULL,
        UNIQUE (feed, key)
    );
    CREATE TABLE hits (
        id TEXT PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entries(id),
        watch TEXT NOT NULL, feed TEXT NOT NULL, title TEXT, url TEXT, published TEXT,
        matched_at TEXT NOT NULL, matched_terms TEXT NOT NULL, snippet TEXT,
        UNIQUE (entry_id, watch)
    );
    CREATE INDEX hits_matched_at ON hits (matched_at);
    CREATE INDEX hits_watch ON hits (watch, matched_at);
    CREATE TABLE deliveries (
        id TEXT PRIMARY KEY, hit_id TEXT NOT NULL REFERENCES hits(id),
        notifier TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, next_attempt_at TEXT, last_attempt_at TEXT,
        delivered_at TEXT, last_error TEXT DEFAULT '',
        UNIQUE (hit_id, notifier)
    );
    CREATE INDEX deliveries_pending ON deliveries (status, next_attempt_at);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    """)


@MIGRATIONS(name="0002_outbox_attempts_and_digests")
def outbox_attempts(db: Database) -> None:
    db.executescript("""
    CREATE TABLE delivery_attempts (
        id INTEGER PRIMARY KEY, delivery_id TEXT NOT NULL REFERENCES deliveries(id),
        at TEXT NOT NULL, outcome TEXT NOT NULL, error TEXT DEFAULT ''
    );
    CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
    ALTER TABLE deliveries ADD COLUMN mode TEXT NOT NULL DEFAULT 'immediate';
    ALTER TABLE hits ADD COLUMN author TEXT DEFAULT '';
    """)


@MIGRATIONS(name="0003_feed_health")
def feed_health(db: Database) -> None:
    db.executescript("""
    ALTER TABLE feeds ADD COLUMN body_hash TEXT;
    ALTER TABLE feeds ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN failing_since TEXT;
    """)


@MIGRATIONS(name="0004_source_events")
def source_events(db: Database) -> None:
    db.executescript("""
    CREATE TABLE feed_events (
        id TEXT PRIMARY KEY, feed TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
        url TEXT, message TEXT
    );
    ALTER TABLE feeds ADD COLUMN failing_alerted INTEGER NOT NULL DEFAULT 0;
    """)
    db["deliveries"].transform(not_null={"hit_id": False})  # type: ignore[union-attr]
    db["deliveries"].add_column("event_id", str, fk="feed_events")  # type: ignore[union-attr]


@MIGRATIONS(name="0005_permanent_redirects")
def permanent_redirects(db: Database) -> None:
    db.executescript("""
    ALTER TABLE feeds ADD COLUMN config_url TEXT;
    ALTER TABLE feeds ADD COLUMN moved_to TEXT;
    ALTER TABLE feeds ADD COLUMN moved_count INTEGER NOT NULL DEFAULT 0;
    UPDATE feeds SET config_url = url;
    """)


@MIGRATIONS(name="0006_entries_by_age")
def entries_by_age(db: Database) -> None:
    """For the retention of old entries (``keep_entries``)."""
    db.execute("CREATE INDEX IF NOT EXISTS entries_first_seen ON entries (first_seen_at)")


@MIGRATIONS(name="0007_answers")
def answers(db: Database) -> None:
    """A watch's answer (``extract = "date"``), its changes, which of its hits were folded
    in, and the deliveries of its changes."""
    db.executescript("""
    CREATE TABLE answers (
        watch TEXT PRIMARY KEY, state TEXT NOT NULL, start TEXT, "end" TEXT,
        sources TEXT NOT NULL DEFAULT '[]', history TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT
    );
    CREATE TABLE answer_changes (
        id TEXT PRIMARY KEY, watch TEXT NOT NULL, change TEXT NOT NULL, state TEXT NOT NULL,
        start TEXT, "end" TEXT, title TEXT, url TEXT, feed TEXT, published TEXT,
        sentence TEXT, at TEXT NOT NULL, details TEXT NOT NULL
    );
    CREATE TABLE answer_hits (watch TEXT NOT NULL, hit_id TEXT NOT NULL,
                              PRIMARY KEY (watch, hit_id));
    """)
    db["deliveries"].add_column("answer_id", str, fk="answer_changes")  # type: ignore[union-attr]


@MIGRATIONS(name="0008_documents")
def documents(db: Database) -> None:
    """The documents entries carry: fetched once, archived by SHA-256, their text kept."""
    db.executescript("""
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, entry_id INTEGER REFERENCES entries(id), feed TEXT NOT NULL,
        entry_key TEXT NOT NULL, url TEXT NOT NULL, final_url TEXT, kind TEXT,
        content_type TEXT, size INTEGER, sha256 TEXT, path TEXT, text TEXT,
        error TEXT NOT NULL DEFAULT '', fetched_at TEXT NOT NULL
    );
    CREATE INDEX documents_url ON documents (url);
    CREATE INDEX documents_entry ON documents (entry_id);
    """)


@MIGRATIONS(name="0009_stories")
def stories(db: Database) -> None:
    """One story across outlets: each matched entry's signature, an inverted index of its
    terms for finding candidates, and the story of each hit."""
    db.executescript("""
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, story_id TEXT NOT NULL, feed TEXT NOT NULL, key TEXT NOT NULL,
        at TEXT NOT NULL, tense TEXT NOT NULL DEFAULT '', terms TEXT NOT NULL,
        names TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX stories_at ON stories (at);
    CREATE TABLE story_terms (term TEXT NOT NULL, signature_id TEXT NOT NULL);
    CREATE INDEX story_terms_term ON story_terms (term);
    ALTER TABLE hits ADD COLUMN story_id TEXT;
    CREATE INDEX hits_story ON hits (story_id, watch);
    """)


@MIGRATIONS(name="0010_search")
def search(db: Database) -> None:
    """Full-text search (FTS5, kept by triggers) over entries' titles, and over hits with a
    column of their words' dictionary forms (filled by the matcher) so that every form is
    found. Entries' texts are left out: indexing them cost 40% more CPU in a cold poll."""
    db["hits"].add_column("forms", str, not_null_default="")  # type: ignore[union-attr]
    db["hits"].enable_fts(["title", "snippet", "forms"], create_triggers=True,  # type: ignore[union-attr]
                          tokenize="unicode61 remove_diacritics 2")
    db["entries"].enable_fts(["title"], create_triggers=True,  # type: ignore[union-attr]
                             tokenize="unicode61 remove_diacritics 2")


@MIGRATIONS(name="0011_poll_seconds")
def poll_seconds(db: Database) -> None:
    """How long each feed's last poll took (`monitor stats`: the slowest feeds)."""
    db["feeds"].add_column("last_seconds", float)  # type: ignore[union-attr]


@MIGRATIONS(name="0012_story_term_counts")
def story_term_counts(db: Database) -> None:
    """How many signatures hold each term: the rarest terms find a story's candidates."""
    db.executescript("""
    CREATE TABLE story_term_counts (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO story_term_counts SELECT term, count(*) FROM story_terms GROUP BY term;
    """)


@MIGRATIONS(name="0013_search_off_the_poll_path")
def search_off_the_poll_path(db: Database) -> None:
    """The full-text indexes are brought up to date by ``monitor serve`` (at start and every
    minute), not by triggers on every insert: those made a cold poll 30% slower."""
    for table in ("hits", "entries"):
        for suffix in ("ai", "ad", "au"):
            db.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")


@MIGRATIONS(name="0014_search_progress")
def search_progress(db: Database) -> None:
    """Rebuild both indexes once and note how far they reach (``search_indexed:*``)."""
    for table in ("hits", "entries"):
        db.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
        top = db.execute(f"SELECT COALESCE(max(rowid), 0) FROM {table}").fetchone()[0]
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                   [f"search_indexed:{table}", str(top)])


@MIGRATIONS(name="0015_entries_by_feed_and_age")
def entries_by_feed_and_age(db: Database) -> None:
    """A feed's newest keys without sorting all of its entries (``recent_keys``: 12 ms for
    a feed with 20,000 stored entries before, at every poll that found it changed), and
    without reading the entries' rows (their text): the index holds the keys too."""
    db.execute("CREATE INDEX IF NOT EXISTS entries_feed_id ON entries (feed, id, key)")


@MIGRATIONS(name="0016_hits_story_when_told")
def hits_story_when_told(db: Database) -> None:
    """Hits are looked up by story only among those that tell one: a hit without a story
    (stored only, or on its own) no longer goes into that index."""
    db.execute("DROP INDEX IF EXISTS hits_story")
    db.execute("CREATE INDEX hits_story ON hits (story_id, watch) WHERE story_id IS NOT NULL")
