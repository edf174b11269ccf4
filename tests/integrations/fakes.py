"""Fake peers: real HTTP servers on 127.0.0.1 that play the other side of integration.md.

Each can be told to be down (its port closed), to answer 500 at a given rate, to answer slowly,
to expire the session (national) or to refuse some items. They check what they receive: the
national portal records, per dossier, every STT in arrival order and flags a new STT that is
older than one it already has (an ordering violation); repeats are ignored, as the spec allows.
"""

from __future__ import annotations

import json
import random
import secrets
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        peer: FakePeer = self.server.peer  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        status, body = peer.handle(self.path, dict(self.headers), raw)
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakePeer:
    """Base: start/stop on a fixed port, failure switches, request counting."""

    def __init__(self, seed: int = 0) -> None:
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.fail_rate = 0.0
        self.delay = 0.0
        self.requests = 0
        self.failures_sent = 0
        self.port = 0
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakePeer:
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.peer = self  # type: ignore[attr-defined]
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Down: the port is closed (connections are refused)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any]:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.requests += 1
            if self.fail_rate and self.rng.random() < self.fail_rate:
                self.failures_sent += 1
                return 500, {"error": "internal error (fake)"}
            return self.answer(path, headers, json.loads(raw or b"null"))

    def answer(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        raise NotImplementedError


class FakeNational(FakePeer):
    """DVCQG: /login, /data (§2)."""

    USER, PASSWORD = "motcua", "secret"

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self.sessions: set[str] = set()
        self.logins = 0
        self.dossiers: dict[str, dict] = {}  # key → latest DongBoHoSoMC item
        self.progress: dict[str, list[int]] = defaultdict(list)  # key → new STTs in order
        self.ratings: dict[str, dict] = {}
        self.seen: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.violations: list[str] = []
        self.repeats = 0
        self.items = 0
        self.refuse_codes: set[str] = set()  # MaHoSo whose items are refused
        self.units: list[str] = []

    def reset(self) -> None:
        """Forget everything received (a new example of a property test)."""
        port, server, lock = self.port, self._server, self.lock
        with lock:
            self.__init__(seed=self.rng.randrange(1 << 30))  # type: ignore[misc]
            self.port, self._server, self.lock = port, server, lock

    @staticmethod
    def key(item: dict) -> str:
        return item.get("MaHoSoQG") or item.get("MaHoSo") or ""

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def answer(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        if path == "/login":
            if body.get("username") != self.USER or body.get("password") != self.PASSWORD:
                return 401, {"error": "bad credentials"}
            session = secrets.token_hex(8)
            self.sessions.add(session)
            self.logins += 1
            return 200, {"session": session}
        if path == "/stats":  # for the benchmarks
            return 200, {"items": self.items, "repeats": self.repeats,
                         "violations": len(self.violations), "dossiers": len(self.dossiers)}  # fmt: skip
        if path != "/data":
            return 404, {"error": "not found"}
        if body.get("session") not in self.sessions:
            return 200, {"error_code": 1, "message": "Phiên làm việc hết hạn"}
        service, items = body.get("service"), body.get("data")
        if service not in ("DongBoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoDanhGia"):
            return 200, {"error_code": 2, "message": f"unknown service {service}"}
        if not isinstance(items, list) or not all(self.key(i) for i in items):
            return 200, {"error_code": 3, "message": "every item needs MaHoSo or MaHoSoQG"}
        refused = [i["MaHoSo"] for i in items if i.get("MaHoSo") in self.refuse_codes]
        if refused:
            return 200, {"error_code": 4, "message": f"MaHoSo {refused[0]}: không hợp lệ"}
        self.units.append(body.get("madonvi", ""))
        for item in items:
            self._take(service, item)
        return 200, {"error_code": 0, "message": "OK"}

    def _take(self, service: str, item: dict) -> None:
        key, stt = self.key(item), int(item["STT"])
        self.items += 1
        seen = self.seen[(service, key)]
        if stt in seen:
            self.repeats += 1
            if service == "DongBoHoSoMC" and stt == self.dossiers[key]["STT"]:
                self.dossiers[key] = item  # a re-send of the current state
            return
        if seen and stt < max(seen):
            self.violations.append(f"{service} {key}: STT {stt} after {max(seen)}")
            seen.add(stt)
            return
        seen.add(stt)
        if service == "DongBoHoSoMC":
            self.dossiers[key] = item
        elif service == "CapNhatTienDoHoSoMC":
            self.progress[key].append(stt)
        else:
            self.ratings[key] = item


class FakePostal(FakePeer):
    """The postal operator's /orders (§4)."""

    TOKEN = "postal-token"

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self.orders: dict[str, dict] = {}
        self.tracking: dict[str, str] = {}

    def answer(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        if path != "/orders":
            return 404, {"error": "not found"}
        if headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return 401, {"error": "bad token"}
        missing = [f for f in ("ref", "kind", "name", "address", "agency") if not body.get(f)]
        if missing or body.get("kind") not in ("pickup", "delivery"):
            return 400, {"error": f"missing or bad: {', '.join(missing) or 'kind'}"}
        ref = body["ref"]
        if ref in self.tracking:
            return 200, {"tracking": self.tracking[ref]}
        number = f"EB{len(self.tracking) + 100000000:09d}VN"
        self.tracking[ref], self.orders[ref] = number, body
        return 201, {"tracking": number}


class FakeSms(FakePeer):
    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self.texts: list[dict] = []

    def answer(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        if not body.get("to") or not body.get("text"):
            return 400, {"error": "to and text are required"}
        self.texts.append(body)
        return 200, {"ok": True}


if __name__ == "__main__":  # python -m tests.integrations.fakes PORT: a fake portal for benchmarks
    import sys

    peer = FakeNational()
    peer.port = int(sys.argv[1])
    peer.start()
    threading.Event().wait()
