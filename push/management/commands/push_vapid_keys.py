"""``manage.py push_vapid_keys``: print a new VAPID key pair for the environment (README, "Push
notifications"). The private key is the raw P-256 scalar, the public key the uncompressed point, both
base64url without padding: the forms pywebpush and the browsers' PushManager take."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def vapid_key_pair() -> tuple[str, str]:
    """(public, private), base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public), b64url(private)


class Command(BaseCommand):
    help = "Print a new VAPID key pair (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY) for Web Push."

    def handle(self, *args, **options):
        public, private = vapid_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
        self.stderr.write(
            "Keep VAPID_PRIVATE_KEY secret; set VAPID_SUBJECT to mailto:<the service desk's address>. "
            "Changing the keys ends every device's subscription (each user turns push on again)."
        )
