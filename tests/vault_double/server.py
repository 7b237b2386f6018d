"""The HTTP side of the double: sockets, request numbers, the request log and faults."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.vault_double.auth import Token
from tests.vault_double.faults import Fault, FaultKind, FaultPlan
from tests.vault_double.routes import Call, Reply, Router, error


@dataclass(frozen=True)
class Logged:
    number: int
    method: str
    path: str
    status: int  # 0 when the connection was dropped before any answer
    fault: FaultKind | None


class VaultDouble:
    """A Vault stand-in on 127.0.0.1, in a background thread, controllable from tests."""

    def __init__(
        self,
        root_token: str = "root",
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.router = Router(root_token)
        self.faults = FaultPlan()
        self.root_token = root_token
        self._log: list[Logged] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._sealed_by_fault = False
        self._httpd = _Server((host, port), _Handler)
        self._httpd.double = self
        self._scheme = "http"
        if tls is not None:  # serve https with the caller's certificate
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
            self._scheme = "https"
        self._thread: threading.Thread | None = None

    # -- life --------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"

    def start(self) -> VaultDouble:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.clear()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> VaultDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control -----------------------------------------------------------
    @property
    def kv(self) -> Any:
        return self.router.kv

    def seal(self) -> None:
        self.router.sealed = True

    def unseal(self) -> None:
        self.router.sealed = False

    def inject(self, kind: FaultKind, **where: Any) -> Fault:
        """Add a fault; see ``faults.py`` for the kinds and how to aim them."""
        return self.faults.add(Fault(kind, **where))

    def clear_faults(self) -> None:
        """Remove every fault, undo its lasting effects, and wait for delayed requests."""
        self.faults.clear()
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=30)
            if self._sealed_by_fault:
                self.router.sealed = self._sealed_by_fault = False
        self.router.auth.revive_fault_expired()

    def create_token(self, policies: list[str], ttl: int = 3600) -> str:
        return self.router.auth.add_token(["default", *policies], ttl=ttl).id

    def add_approle(self, name: str, role_id: str, secret_id: str, policies: list[str]) -> None:
        self.router.auth.add_role(name, role_id, secret_id, policies)

    def write_policy(self, name: str, text: str) -> None:
        self.router.auth.set_policy(name, text)

    def live_wrapping_tokens(self) -> int:
        return self.router.live_wrapping_tokens()

    # -- request log -------------------------------------------------------
    @property
    def requests(self) -> list[Logged]:
        with self._lock:
            return list(self._log)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._log)

    def reset_log(self) -> None:
        """Start counting again from request 1 (``Fault.at_request`` counts from here)."""
        with self._lock:
            self._log.clear()

    # -- used by the handler -------------------------------------------------
    def _begin(self, method: str, path: str) -> tuple[int, Fault | None]:
        with self._lock:
            self._in_flight += 1
            number = len(self._log) + 1
            self._log.append(Logged(number, method, path, 0, None))
        return number, self.faults.match(number, method, path)

    def _record(self, number: int, status: int, fault: Fault | None) -> None:
        """Log the answer before it is sent, so a client that has it sees it logged."""
        with self._lock:
            old = self._log[number - 1] if number <= len(self._log) else None
            if old is not None and old.number == number:
                kind = fault.kind if fault else None
                self._log[number - 1] = Logged(number, old.method, old.path, status, kind)

    def _end(self, number: int, status: int, fault: Fault | None) -> None:
        if status == 0:
            self._record(number, status, fault)
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def _seal_by_fault(self) -> None:
        with self._lock:
            self._sealed_by_fault = True
            self.router.sealed = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    double: VaultDouble

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, dropped connections) are part of the tests."""
        return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out separately; no 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read the log instead
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_LIST(self) -> None:
        self._handle("LIST")

    def _handle(self, method: str) -> None:
        double = self.server.double
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        if method == "GET" and query.get("list") in ("true", "1"):
            method = "LIST"
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = url.path.removeprefix("/v1/").strip("/") if url.path.startswith("/v1/") else ""
        if method == "LIST":  # Vault lists a folder: the path always ends in "/"
            path += "/"
        number, fault = double._begin(method, path)
        status = 0
        try:
            if fault is not None and fault.kind == "delay":
                double.faults.release.wait(fault.seconds)
            if fault is not None and fault.kind == "drop" and not fault.process:
                self._drop(b"")
                return
            reply = self._reply(method, path, query, raw, fault)
            status = reply.status
            double._record(number, status, fault)
            if fault is not None and fault.kind == "drop":
                self._drop(self._encode(reply)[0])
                return
            self._send(reply)
        finally:
            double._end(number, status, fault)

    def _reply(
        self, method: str, path: str, query: dict[str, str], raw: bytes, fault: Fault | None
    ) -> Reply:
        double = self.server.double
        if not path:
            return error(404)
        if fault is not None and fault.kind == "sealed":
            double._seal_by_fault()
        if fault is not None and fault.kind == "unavailable":
            return error(503, "Vault is temporarily unavailable")
        token_id = self.headers.get("X-Vault-Token") or ""
        if fault is not None and fault.kind == "expire_token":
            double.router.auth.expire_by_fault(token_id)
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return error(400, "failed to parse JSON input")
        if not isinstance(body, dict):
            return error(400, "failed to parse JSON input")
        headers = {k.lower(): v for k, v in self.headers.items()}
        return double.router.route(Call(method, path, query, headers, body))

    @staticmethod
    def _encode(reply: Reply) -> tuple[bytes, list[tuple[str, str]]]:
        payload = b"" if reply.body is None else json.dumps(reply.body).encode()
        head = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        return payload, head

    def _send(self, reply: Reply) -> None:
        payload, head = self._encode(reply)
        if reply.status == 204:
            payload, head = b"", [("Content-Length", "0")]
        try:
            self.send_response(reply.status)
            for name, value in [*head, *reply.headers.items()]:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:  # the client gave up waiting (a delay fault): nothing to tell
            self.close_connection = True

    def _drop(self, payload: bytes) -> None:
        """Promise a body, send half of it, and hang up."""
        body = payload or b'{"request_id": "'
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body) + 64}\r\n\r\n".encode()
            + body[: max(1, len(body) // 2)]
        )
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def token_of(double: VaultDouble, token_id: str) -> Token | None:
    """The live token with this id, for tests that inspect policies or TTLs."""
    return double.router.auth.lookup(token_id)
