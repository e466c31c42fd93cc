"""Slow clients are cut off: request headers and POST bodies must arrive in time, however steadily they trickle."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator

import pytest
from http_support import Running

from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.slow
TRICKLE_FOR = 4.0
"""Seconds a test keeps trickling before concluding the server never cut it off (the limits here are 0.5 s)."""


@pytest.fixture
def server() -> Iterator[Running]:
    settings = Settings(sandbox=True, transport="http", http_header_timeout=0.5, http_body_timeout=0.5)
    with Running(settings) as running:
        yield running


def connect(running: Running) -> socket.socket:
    return socket.create_connection(("127.0.0.1", running.port), timeout=5)


def trickle(sock: socket.socket, data: bytes) -> bytes | None:
    """Send ``data`` one byte every 0.1 s; return what the server sent once it closed the connection, None if it never did."""
    received = b""
    deadline = time.monotonic() + TRICKLE_FOR
    for byte in data:
        if time.monotonic() > deadline:
            return None
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return received
        readable, _, _ = select.select([sock], [], [], 0.1)
        if readable:
            try:
                chunk = sock.recv(4096)
            except OSError:
                return received
            if not chunk:
                return received
            received += chunk
    return None


def read_until_closed(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(4096):
        received += chunk
    return received


def read_response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body), however the server split it into segments."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        assert chunk, f"connection closed before a whole response: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(4096)
        assert chunk, f"connection closed before a whole response: {received!r}"
        body += chunk
    return head + b"\r\n\r\n" + body


def test_headers_trickled_byte_by_byte_are_cut_off(server: Running) -> None:
    with connect(server) as sock:
        sock.sendall(b"POST /mcp HTTP/1.1\r\n")
        closed_with = trickle(sock, b"X-Slow: " + b"a" * 200)
    assert closed_with is not None, "the server kept a connection whose headers never completed"
    assert b"200 OK" not in closed_with


def test_a_silent_connection_is_closed(server: Running) -> None:
    with connect(server) as sock:
        assert read_until_closed(sock) == b""


def test_a_body_trickled_byte_by_byte_gets_408_and_a_close(server: Running) -> None:
    head = (
        f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
        "Accept: application/json, text/event-stream\r\nContent-Length: 500\r\n\r\n"
    ).encode()
    with connect(server) as sock:
        sock.sendall(head)
        closed_with = trickle(sock, b"{" + b" " * 499)
    assert closed_with is not None, "the server kept waiting for a body that never completed"
    assert closed_with.startswith(b"HTTP/1.1 408 ")


def test_keep_alive_requests_after_a_pause_still_work(server: Running) -> None:
    request = f"GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    with connect(server) as sock:
        sock.sendall(request)
        first = read_response(sock)
        time.sleep(1.0)
        sock.sendall(request)
        second = read_response(sock)
    assert first.startswith(b"HTTP/1.1 404 ") and second.startswith(b"HTTP/1.1 404 ")
