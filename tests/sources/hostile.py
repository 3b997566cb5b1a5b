"""Hostile servers on loopback: raw sockets for what HTTP frameworks will not do."""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Callable


class RawServer:
    """Accepts connections on a free loopback port; ``handle(conn)`` writes what it likes."""

    def __init__(self, handle: Callable[[socket.socket], None]) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.handle = handle
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/feed") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            self.handle(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


def drip(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                 b"Content-Length: 100000\r\n\r\n<rss>")
    for _ in range(60):
        time.sleep(0.25)
        conn.sendall(b" ")


def stall(conn: socket.socket) -> None:
    time.sleep(15)


def lying_length(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<rss version='2.0'>")


def endless(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
    chunk = b"<item>" * 10_000
    for _ in range(10_000):
        conn.sendall(chunk)


def gzip_bomb(decoded_size: int) -> bytes:
    """``decoded_size`` zero bytes, gzip-compressed (about 1 KB per MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(decoded_size >> 20)]
    return b"".join(parts) + packer.flush()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]>'
            '<rss version="2.0"><channel><title>&lol9;</title></channel></rss>').encode()


def quadratic_blowup() -> bytes:
    big = "A" * 50_000
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
            f'<rss version="2.0"><channel><title>{"&a;" * 5000}</title></channel></rss>'
            ).encode()
