import pytest

from tests.webpush import PushServiceStandIn, vapid_settings


@pytest.fixture
def vapid(settings):
    """Push on, with a new VAPID key pair: (public, private)."""
    return vapid_settings(settings)


@pytest.fixture
def push_service():
    standin = PushServiceStandIn()
    yield standin
    standin.stop()


@pytest.fixture
def subscribe(db):
    """``subscribe(user, device)``: the device's subscription saved for ``user`` (as the page does)."""
    from push.services import subscription_save

    def _subscribe(user, device):
        return subscription_save(
            user=user,
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=device.auth_b64,
            user_agent="Test/1.0",
        )

    return _subscribe
