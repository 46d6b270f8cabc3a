import pytest

from tests.smtp import free_port
from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver(settings):
    """A started receiver on loopback; the settings let plain HTTP and loopback through."""
    settings.WEBHOOKS_HTTPS_ONLY = False
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    r = WebhookReceiver(free_port())
    r.start()
    yield r
    r.stop()
