"""The outbox's fixtures (templates named by parameters 253 / 251, the occurrence register helper,
the broker breaker reset) serve these tests too."""

from tests.outbox.conftest import (  # noqa: F401 (fixtures)
    _outbox_breaker_reset,
    category,
    register,
    requester_template,
    responsible_template,
)
