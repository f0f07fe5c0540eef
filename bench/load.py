"""A small HTTP load generator: N connections, each sending GETs back to back, for a fixed time.

No ``wrk`` or ``ab`` on the machine or in CI, and no load tool in requirements-dev.lock, so the
bench brings its own: one thread per connection over a raw socket (``http.client`` parses
headers through the email package, which would cost the client more CPU than the server
spends on a small page). Each connection is kept alive when the server allows it; gunicorn's
sync workers close it after every response (they do not keep connections alive), and the
connection then reconnects, the connect counted in the request's latency, as a proxy in front
of such a server would see it. 127.0.0.1 only: the bench measures its own server.

The client runs on the same cores as the server, so it takes CPU from it; :class:`Outcome`
records how much (``client_cpu_seconds``).
"""

from __future__ import annotations

import math
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"


class ResponseError(Exception):
    """The server closed the connection mid-response or sent something that is not HTTP/1.1."""


@dataclass
class Outcome:
    """What one measurement saw: latencies of the requests that ended in the window."""

    path: str
    connections: int
    window_seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0
    client_cpu_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.window_seconds

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in seconds."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _read_response(sock: socket.socket, buffer: bytearray) -> tuple[int, bool]:
    """Read one response from ``sock``; return its status and whether the server keeps the connection."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ResponseError("connection closed before the headers")
        buffer += chunk
    end = buffer.index(b"\r\n\r\n")
    head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    del buffer[: end + 4]
    version, status, *_ = head[0].split(" ", 2)
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep = version == "HTTP/1.1" and headers.get("connection") != "close"
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(buffer) < length:
            chunk = sock.recv(max(65536, length - len(buffer)))
            if not chunk:
                raise ResponseError("connection closed inside the body")
            buffer += chunk
        del buffer[:length]
    elif headers.get("transfer-encoding") == "chunked":
        _skip_chunks(sock, buffer)
    else:  # the body ends when the server closes the connection
        while sock.recv(65536):
            pass
        buffer.clear()
        keep = False
    return int(status), keep


def _skip_chunks(sock: socket.socket, buffer: bytearray) -> None:
    while True:
        while b"\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                raise ResponseError("connection closed inside a chunk header")
            buffer += chunk
        line_end = buffer.index(b"\r\n")
        size = int(bytes(buffer[:line_end]).split(b";")[0], 16)
        need = line_end + 2 + size + 2
        while len(buffer) < need:
            chunk = sock.recv(65536)
            if not chunk:
                raise ResponseError("connection closed inside a chunk")
            buffer += chunk
        del buffer[:need]
        if size == 0:  # no trailers: Django and gunicorn send none
            return


def run(
    port: int,
    path: str,
    *,
    cookie: str = "",
    connections: int = 16,
    seconds: float = 10.0,
    warmup: float = 2.0,
) -> Outcome:
    """GET ``path`` from 127.0.0.1:``port`` over ``connections`` connections for ``warmup`` +
    ``seconds``; the requests that end within the last ``seconds`` count (wrk's rule: the
    completions in the window), a request still under way at the stop does not."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: guozi-bench\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    ).encode("latin-1")
    started = time.perf_counter()
    measure_from, stop_at = started + warmup, started + warmup + seconds
    outcome = Outcome(path=path, connections=connections, window_seconds=seconds)
    lock = threading.Lock()

    def connection() -> None:
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        failures = 0
        sock: socket.socket | None = None
        buffer = bytearray()
        while True:
            begin = time.perf_counter()
            if begin >= stop_at:
                break
            try:
                if sock is None:
                    sock = socket.create_connection((HOST, port))
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    buffer.clear()
                sock.sendall(request)
                status, keep = _read_response(sock, buffer)
            except (OSError, ResponseError, ValueError):
                failures += measure_from <= time.perf_counter() <= stop_at
                if sock is not None:
                    sock.close()
                sock = None
                continue
            end = time.perf_counter()
            if not keep:
                sock.close()
                sock = None
            if measure_from <= end <= stop_at:
                latencies.append(end - begin)
                statuses[status] += 1
        if sock is not None:
            sock.close()
        with lock:
            outcome.latencies += latencies
            outcome.statuses.update(statuses)
            outcome.failures += failures

    threads = [threading.Thread(target=connection, daemon=True) for _ in range(connections)]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The whole process's CPU: the connections' threads, nothing else runs meanwhile. It
    # includes the warm-up, so it is scaled to the measured window.
    outcome.client_cpu_seconds = (time.process_time() - cpu) * seconds / (time.perf_counter() - started)
    return outcome
