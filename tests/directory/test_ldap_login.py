"""Logging in with the directory, against a real slapd (tests/directory/slapd.py), through the
login form: search-and-bind, attributes, mirrored groups, parameter 22, local accounts, disabled and
removed people, the directory down, and django-axes counting directory failures."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from core.versions import user_version_key, version_get_many
from directory.models import DirectoryAccount
from tests import factories

from .slapd import LDAP_INSTALLED, group, needs_ldap, person

if LDAP_INSTALLED:
    import ldap

pytestmark = [pytest.mark.integration, pytest.mark.django_db, needs_ldap]

WRONG = "The username and/or password you specified are not correct."  # the login form (identity/forms.py)
DOWN = "The directory could not be reached"


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in_as(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_a_directory_user_logs_in_with_name_email_unit_and_mapped_groups(client, directory):
    Group.objects.create(name="Approvers")  # "Finance" does not exist yet: the mapping creates it

    r = log_in(client, "alice", "alice-secret")

    assert r.status_code == 302, r.content
    alice = logged_in_as(client)
    assert alice is not None
    assert (alice.username, alice.first_name, alice.last_name, alice.email) == (
        "alice",
        "Alice",
        "Andrade",
        "alice@example.org",
    )
    assert not alice.has_usable_password()
    account = DirectoryAccount.objects.get(user=alice)
    assert (account.dn, account.unit) == (person("alice"), "Finance")
    # approvers and finance are mapped; domain-admins is not: never a group, never staff
    assert set(alice.groups.values_list("name", flat=True)) == {"Approvers", "Finance"}
    assert not Group.objects.filter(name__icontains="admins").exists()
    assert not alice.is_staff
    assert not alice.is_superuser


def test_the_user_name_is_the_directory_s_whatever_the_case_typed(client, directory):
    assert log_in(client, "ALICE", "alice-secret").status_code == 302
    client.logout()
    assert log_in(client, " alice", "alice-secret").status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def test_groups_follow_the_directory_at_each_login_and_others_are_kept(client, directory):
    log_in(client, "alice", "alice-secret")
    alice = User.objects.get(username="alice")
    local = factories.GroupFactory(name="Service desk")
    alice.groups.add(local)  # given in the portal: not the directory's business
    directory.modify(group("approvers"), [(ldap.MOD_ADD, "member", [person("bruno").encode()])])
    directory.modify(group("approvers"), [(ldap.MOD_DELETE, "member", [person("alice").encode()])])
    client.logout()
    version = version_get_many([user_version_key(alice.pk)])

    assert log_in(client, "alice", "alice-secret").status_code == 302
    assert set(alice.groups.values_list("name", flat=True)) == {"Finance", "Service desk"}
    # her menu (Approvals) is recomputed, not served from the shell cache (portal/shell.py)
    assert version_get_many([user_version_key(alice.pk)]) != version
    client.logout()
    assert log_in(client, "bruno", "bruno-secret").status_code == 302
    bruno = User.objects.get(username="bruno")
    assert set(bruno.groups.values_list("name", flat=True)) == {"Approvers"}
    assert DirectoryAccount.objects.get(user=bruno).unit == "Information Technology"


def test_a_wrong_directory_password_is_refused(client, directory):
    r = log_in(client, "alice", "not-her-password")
    assert r.status_code == 200
    assert WRONG in r.content.decode()
    assert logged_in_as(client) is None
    assert not User.objects.filter(username="alice").exists()


def test_a_user_disabled_in_the_directory_cannot_log_in(client, directory):
    r = log_in(client, "carla", "carla-secret")  # locked in directory.ldif
    assert r.status_code == 200
    assert WRONG in r.content.decode()
    assert not User.objects.filter(username="carla").exists()


def test_a_user_disabled_or_removed_after_logging_in_can_no_longer_log_in(client, directory):
    for uid in ("alice", "bruno"):
        assert log_in(client, uid, f"{uid}-secret").status_code == 302
        client.logout()
    directory.disable("alice")
    directory.delete("bruno")

    for uid in ("alice", "bruno"):
        r = log_in(client, uid, f"{uid}-secret")
        assert r.status_code == 200
        assert WRONG in r.content.decode()
        assert logged_in_as(client) is None


def test_parameter_22_switches_the_directory_for_the_next_login(client, directory, set_param):
    set_param(22, 1)
    assert log_in(client, "alice", "alice-secret").status_code == 200
    set_param(22, 2)
    assert log_in(client, "alice", "alice-secret").status_code == 302


def test_a_local_account_keeps_its_password_and_is_never_the_directory_s(client, directory):
    """The directory has a uid=admin too, with another password: it never gets the local admin."""
    admin = factories.UserFactory(
        username="admin", password="admin", first_name="Ada", is_staff=True, is_superuser=True
    )

    r = log_in(client, "admin", "admin-directory-secret")
    assert r.status_code == 200
    assert logged_in_as(client) is None
    assert log_in(client, "Admin", "admin-directory-secret").status_code == 200

    assert log_in(client, "admin", "admin").status_code == 302
    assert logged_in_as(client) == admin
    admin.refresh_from_db()
    assert admin.first_name == "Ada"
    assert not DirectoryAccount.objects.exists()


def test_a_user_deactivated_in_the_portal_cannot_log_in_with_the_directory(client, directory):
    log_in(client, "alice", "alice-secret")
    client.logout()
    User.objects.filter(username="alice").update(is_active=False)
    assert log_in(client, "alice", "alice-secret").status_code == 200
    assert logged_in_as(client) is None


def test_the_directory_down_says_so_and_local_accounts_still_log_in(client, directory, user):
    directory.stop()

    r = log_in(client, "alice", "alice-secret")
    assert r.status_code == 200
    page = r.content.decode()
    assert DOWN in page
    assert WRONG not in page
    assert logged_in_as(client) is None

    # a local account's wrong password is a wrong password, whatever the directory's state
    r = log_in(client, "maria", "wrong")
    assert WRONG in r.content.decode()
    assert DOWN not in r.content.decode()
    assert log_in(client, "maria", "pw").status_code == 302


def test_the_directory_down_message_is_translated(client, directory):
    directory.stop()
    r = client.post(
        reverse("login"), {"username": "alice", "password": "alice-secret"}, HTTP_ACCEPT_LANGUAGE="pt-br"
    )
    assert "O diretório não pôde ser acessado" in r.content.decode()


def test_django_axes_counts_directory_failures_with_the_same_limit(client, directory, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "alice", "wrong").status_code == 200
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT - 1

    r = log_in(client, "alice", "wrong")  # the limit: locked out
    assert r.status_code == 429
    r = log_in(client, "alice", "alice-secret")  # even with the right password now
    assert r.status_code == 429
    assert "Too many failed login attempts" in r.content.decode()
    assert logged_in_as(client) is None


def test_groups_that_cannot_be_read_mean_no_login_and_no_change(client, directory, settings):
    """A group search the directory refuses (here: a base that does not exist) is not "in no group":
    the login waits, and the memberships stay as they were."""
    from django_auth_ldap.config import LDAPSearch

    assert log_in(client, "alice", "alice-secret").status_code == 302
    client.logout()
    settings.AUTH_LDAP_GROUP_SEARCH = LDAPSearch("ou=nowhere,dc=example,dc=org", ldap.SCOPE_SUBTREE)

    r = log_in(client, "alice", "alice-secret")
    assert r.status_code == 200
    assert DOWN in r.content.decode()
    alice = User.objects.get(username="alice")
    assert set(alice.groups.values_list("name", flat=True)) == {"Approvers", "Finance"}
