import pytest
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token(user):
    return api_token_create(user=user, name="script", days=30)[1]


@pytest.fixture
def bearer(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api
