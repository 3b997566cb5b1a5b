"""Builders shared by tests: RSS documents, config files, running the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def data_rows(name: str) -> list[list[str]]:
    """The rows of a tab-separated case file in tests/data/ (``#`` lines are comments): a
    new case is a new line."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class Item:
    guid: str
    title: str
    description: str = ""
    link: str = ""
    pub_date: str = "Fri, 10 Sep 2021 12:00:00 +0300"


def rss(items: list[Item], title: str = "Test feed") -> bytes:
    body = "".join(
        f"<item><guid>{escape(i.guid)}</guid><title>{escape(i.title)}</title>"
        f"<link>{escape(i.link or 'https://news.example.org/' + i.guid)}</link>"
        f"<description>{escape(i.description)}</description>"
        f"<pubDate>{i.pub_date}</pubDate></item>"
        for i in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>https://news.example.org/</link>"
            f"<description>test</description>{body}</channel></rss>").encode()


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def write_config(path: Path, monitor: dict | None = None, feeds: list[dict] | None = None,
                 watches: list[dict] | None = None, notifiers: list[dict] | None = None) -> Path:
    settings = {"db": str(path.parent / "monitor.db"), "allow_private_networks": True,
                "fetch_timeout": "5s",
                # test items are dated 2021: alert them one by one on a first poll (the
                # first-poll summary has tests of its own)
                "first_poll_window": "off", **(monitor or {})}
    lines = ["[monitor]"] + [f"{k} = {toml_value(v)}" for k, v in settings.items()]
    for section, tables in (("feeds", feeds), ("watches", watches), ("notifiers", notifiers)):
        for table in tables or []:
            lines += ["", f"[[{section}]]"] + [f"{k} = {toml_value(v)}" for k, v in table.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(*args: str, config: Path | None = None, env: dict | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in this process (``click.testing.CliRunner``): the same commands,
    code and databases, without an interpreter start-up per call. End-to-end tests that
    need a real process use ``run_cli_process``."""
    from click.testing import CliRunner

    from monitor.cli import cli

    argv = (["--config", str(config)] if config is not None else []) + list(args)
    with _cwd(config.parent if config else None):
        result = CliRunner().invoke(cli, argv, env=env, catch_exceptions=False)
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout, result.stderr)


@contextmanager
def _cwd(path: Path | None) -> Iterator[None]:
    before = Path.cwd()
    if path is not None:
        os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_cli_process(*args: str, config: Path | None = None, env: dict | None = None,
                    timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a user would."""
    cmd = [sys.executable, "-m", "monitor"]
    if config is not None:
        cmd += ["--config", str(config)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=timeout,
                          env=full_env, cwd=str(config.parent) if config else None)


def pdf_with_text(text: str) -> bytes:
    """A minimal, valid one-page PDF showing ``text`` (ASCII, Helvetica): what pypdf reads."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def docx_with_text(text: str) -> bytes:
    """A DOCX (python-docx) with one paragraph of ``text``."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_with(content: str, doctype: str = "") -> bytes:
    """An ODT whose body (``office:text``) is ``content``, text:-prefixed XML: the
    mimetype first and stored, as OpenDocument requires (it is how a file is told)."""
    import io
    import zipfile

    xml = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content '
           'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
           f"<office:body><office:text>{content}</office:text></office:body>"
           "</office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                     compress_type=zipfile.ZIP_STORED)
        odt.writestr("content.xml", xml, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
