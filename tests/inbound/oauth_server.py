"""A small OAuth2 authorization server on loopback for the XOAUTH2 tests: a token endpoint (RFC 6749:
``client_credentials`` and ``refresh_token`` grants, client secret in the form) and a token
introspection endpoint (RFC 7662) that dovecot's ``oauth2`` passdb asks (tests/inbound/conftest.py).
It plays Microsoft's or Google's part; dovecot itself is the real one."""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

CLIENT_ID, CLIENT_SECRET = "portal-reader", "client-secret"
REFRESH_TOKEN = "refresh-1"


class OAuthServer:
    def __init__(self, *, username: str) -> None:
        self.username = username
        self.active: set[str] = set()
        self.token_requests: list[dict[str, str]] = []
        self.introspections: list[str] = []
        self.refresh_tokens = {REFRESH_TOKEN}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, data: dict) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    self._json(*server.token(form))
                elif self.path == "/introspect":
                    self._json(200, server.introspect(form.get("token", "")))
                else:
                    self._json(404, {"error": "not_found"})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.active.add(token)
        return token

    def revoke_all(self) -> None:
        with self.lock:
            self.active.clear()

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        with self.lock:
            self.token_requests.append(form)
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client", "error_description": "bad client credentials"}
        grant = form.get("grant_type")
        answer: dict = {"token_type": "Bearer", "expires_in": 3600}
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {"error": "invalid_grant"}
            rotated = secrets.token_urlsafe(12)  # the endpoint rotates it, as Microsoft does
            with self.lock:
                self.refresh_tokens = {rotated}
            answer["refresh_token"] = rotated
        elif grant != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        answer["access_token"] = self.issue()
        return 200, answer

    def introspect(self, token: str) -> dict:
        with self.lock:
            self.introspections.append(token)
            if token in self.active:
                return {"active": True, "username": self.username}
        return {"active": False}

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
