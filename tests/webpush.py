"""A push service stand-in on loopback and test subscriptions whose keys the test holds (issue 26).

``PushServiceStandIn`` is an HTTP server on 127.0.0.1 (a free port) that records every POST (path,
headers, encrypted body) and answers 201, or the status a test sets for a path (410 Gone...).
``TestDevice`` is what a browser would create: a P-256 key pair and a 16-byte auth secret; its
``decrypt`` opens a received body (RFC 8291, aes128gcm) with the private key, as the browser does.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def vapid_settings(settings) -> tuple[str, str]:
    """Turn push on in ``settings`` with a new key pair (push/management/commands/push_vapid_keys.py)."""
    from push.management.commands.push_vapid_keys import vapid_key_pair

    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:servicedesk@example.com"
    settings.PUSH_ENDPOINT_HOSTS = [*settings.PUSH_ENDPOINT_HOSTS, "127.0.0.1"]  # the stand-in
    return public, private


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class TestDevice:
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    __test__ = False  # not a test class for pytest

    @classmethod
    def new(cls, endpoint: str) -> TestDevice:
        return cls(endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)

    def subscription_json(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth_b64}}

    def decrypt(self, body: bytes) -> dict:
        import http_ece

        return json.loads(
            http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        )


@dataclass
class PushServiceStandIn:
    delay: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def __post_init__(self):
        standin = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if standin.delay:
                    time.sleep(standin.delay)
                status = standin.statuses.get(self.path, 201)
                with lock:
                    standin.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/push/{name}"

    def device(self, name: str) -> TestDevice:
        return TestDevice.new(self.url(name))

    def for_device(self, device: TestDevice) -> list[Received]:
        path = device.endpoint.split(f":{self.port}", 1)[1]
        return [r for r in list(self.received) if r.path == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
