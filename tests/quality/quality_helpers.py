"""Helpers of the data-quality tests: a clean small warehouse, and real local SMTP and HTTP servers."""

from __future__ import annotations

import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from small_raw import SMALL_RAW  # noqa: E402

# SG17 also meets in 2025, so that the latest year has two study groups and marts.sg_overlap has a pair:
# with these rows every expectation of every suite holds (the baseline the break tests start from).
CLEAN_OVERRIDES = {
    "meetings": SMALL_RAW["meetings"] + "SG17-2025-1,SG17,SG,2025-02-03,2025-02-07,Geneva,CHE,hybrid\n",
    "attendance": SMALL_RAW["attendance"]
    + "SG17-2025-1,Ada Quill,ada.quill@alpha.example,Alpha Networks Ltd,USA,chair,on-site,F\n",
}
# One attendance row with a mode outside its set: quarantined, a warning, and the run goes on.
WARNING_OVERRIDES = {
    **CLEAN_OVERRIDES,
    "attendance": CLEAN_OVERRIDES["attendance"]
    + "SG17-2025-1,Fay Tern,fay.tern@gamma.example,Gamma Labs,KEN,delegate,hybrid,F\n",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class WebhookServer:
    """A real HTTP server (http.server) on 127.0.0.1 that keeps the JSON bodies POSTed to it."""

    def __init__(self, status: int = 200):
        received: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(
                    {
                        "path": self.path,
                        "content_type": self.headers["Content-Type"],
                        "json": json.loads(body),
                    }
                )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/sgpulse"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class DripServer:
    """A TCP server that answers every connection one byte at a time, `interval` seconds apart: a server
    that never stalls long enough for a socket timeout, yet takes minutes to answer."""

    def __init__(self, reply: bytes, interval: float = 0.5):
        self.reply, self.interval = reply, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by __exit__
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            for byte in self.reply:
                if self.stopped.wait(self.interval):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def __enter__(self) -> DripServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.listener.close()
