"""Browsing the database with Datasette (``monitor serve``): the shipped metadata (table
descriptions, facets, canned queries, the Atom feed per watch) for a database file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

METADATA = Path(__file__).with_name("metadata.yml")


def metadata(database: Path) -> dict[str, Any]:
    """The shipped metadata, for the database Datasette names after the file's stem."""
    import yaml

    data: dict[str, Any] = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    data["databases"] = {database.stem: data["databases"]["DATABASE"]}
    return data


def atom_url(base: str, database: Path, watch: str) -> str:
    return f"{base}/{database.stem}/watch_feed.atom?watch={watch}"
