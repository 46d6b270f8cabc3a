"""What administrators get from the Knowledge Portal (docs/knowledge.md): versions restored, public
access (parameter 2702), the review warning (parameter 78) sent once, the search log (358/359) and its
report with deflections per service, and "This solved my problem"."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Article, ArticleVersion, Deflection, SearchLog
from knowledge.services import search_log_purge
from outbox.models import OutboundEmail
from tests import factories


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _change_data(article: Article, **changes) -> dict:
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "title_pt_br": article.title_pt_br,
        "title_es": article.title_es,
        "summary_pt_br": article.summary_pt_br,
        "summary_es": article.summary_es,
        "body_pt_br": article.body_pt_br,
        "body_es": article.body_es,
        "published": "on",
        "published_at_0": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        "review_date": "",
        "author": article.author_id or "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


# --- versions ---------------------------------------------------------------------------------------


def test_every_admin_save_is_a_version_and_a_version_can_be_restored(kb, admin_user):
    admin = _client(admin_user)
    article = kb["vpn"]
    change = reverse("admin:knowledge_article_change", args=[article.pk])
    reply = admin.post(change, _change_data(article))
    assert reply.status_code == 302, reply.context["adminform"].errors if reply.context else reply
    reply = admin.post(
        change, _change_data(article, title="Connect to the new VPN", body="Use the new client.")
    )
    assert reply.status_code == 302
    admin.post(change, _change_data(Article.objects.get(pk=article.pk)))  # no text changed: no version
    v1, v2 = ArticleVersion.objects.filter(article=article).order_by("number")
    assert (v1.number, v1.title, v1.changed_by) == (1, "Connect to the VPN", admin_user)
    assert (v2.number, v2.title) == (2, "Connect to the new VPN")
    assert "title" in v2.change
    assert "text" in v2.change
    history = admin.get(change).content.decode()
    assert "Connect to the new VPN" in history
    assert "Versions (history)" in history

    admin.post(
        reverse("admin:knowledge_articleversion_changelist"),
        {"action": "restore", "_selected_action": [v1.pk]},
    )
    article.refresh_from_db()
    assert (article.title, article.body) == ("Connect to the VPN", v1.body)
    v3 = ArticleVersion.objects.get(article=article, number=3)
    assert v3.change == "Restored from version 1"
    assert v3.title == "Connect to the VPN"


def test_restore_needs_the_permission_to_change_articles(kb, admin_user):
    _client(admin_user).post(
        reverse("admin:knowledge_article_change", args=[kb["vpn"].pk]), _change_data(kb["vpn"])
    )
    version = ArticleVersion.objects.get()
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_articleversion"))
    c = _client(viewer)
    c.post(
        reverse("admin:knowledge_articleversion_changelist"),
        {"action": "restore", "_selected_action": [version.pk]},
    )
    assert ArticleVersion.objects.count() == 1


# --- public access (parameter 2702) ---------------------------------------------------------------------


def test_visitors_need_a_login_while_public_access_is_off(client, kb):
    kb["email"].public = True
    kb["email"].save()
    for url in (
        reverse("knowledge:home"),
        reverse("knowledge:article", kwargs={"pk": kb["email"].pk}),
        reverse("knowledge:print", kwargs={"pk": kb["email"].pk}),
    ):
        reply = client.get(url)
        assert reply.status_code == 302
        assert "/login" in reply["Location"]


def test_visitors_read_public_articles_in_their_language_and_nothing_else(client, kb, set_param):
    set_param(2702, True)
    password = kb["password"]
    password.public = True
    password.save()
    kb["draft"].public = True
    kb["draft"].save()
    url = reverse("knowledge:article", kwargs={"pk": password.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Restablecer una contraseña olvidada" in page
    assert "rating-yes" not in page
    assert "favourite-button" not in page
    assert "comment-submit" not in page
    assert "Redefinir uma senha esquecida" in client.get(url, HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()
    assert client.get(reverse("knowledge:print", kwargs={"pk": password.pk})).status_code == 200
    listing = client.get(reverse("knowledge:home"))
    assert [a.pk for a in listing.context["articles"]] == [password.pk]
    for private in (kb["vpn"], kb["draft"]):
        assert client.get(reverse("knowledge:article", kwargs={"pk": private.pk})).status_code == 404
    # everything else still needs a login
    for url in (reverse("knowledge:favourites"), reverse("knowledge:suggest") + "?q=password", "/"):
        reply = client.get(url)
        assert reply.status_code == 302, url
        assert "/login" in reply["Location"], url
    reply = client.post(reverse("knowledge:rate", kwargs={"pk": password.pk}), {"helpful": "yes"})
    assert reply.status_code == 302
    assert "/login" in reply["Location"]


def test_visitors_switch_language_on_a_public_article(client, kb, set_param):
    set_param(2702, True)
    kb["password"].public = True
    kb["password"].save()
    url = reverse("knowledge:article", kwargs={"pk": kb["password"].pk})
    reply = client.post(reverse("portal:set-language"), {"language": "es", "next": url})
    assert reply.status_code == 302
    assert reply["Location"] == url
    assert "Restablecer una contraseña olvidada" in client.get(url).content.decode()


# --- the review warning (parameter 78) ----------------------------------------------------------------------


def test_the_author_is_warned_once_n_days_before_the_review_date(
    kb, set_param, django_capture_on_commit_callbacks
):
    author = factories.UserFactory(username="author", email="author@example.com")
    set_param(78, 30)
    soon, later = kb["vpn"], kb["email"]
    today = timezone.localdate()
    Article.objects.filter(pk=soon.pk).update(author=author, review_date=today + timedelta(days=20))
    Article.objects.filter(pk=later.pk).update(author=author, review_date=today + timedelta(days=45))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("knowledge_daily", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("knowledge_daily", stdout=io.StringIO())
    rows = list(OutboundEmail.objects.all())
    assert [r.idempotency_key for r in rows] == [
        f"knowledge-review:{soon.pk}:{(today + timedelta(days=20)).isoformat()}"
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["author@example.com"]
    assert "Connect to the VPN" in mail.outbox[0].subject
    # a new review date warns again, once
    Article.objects.filter(pk=soon.pk).update(review_date=today + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("knowledge_daily", stdout=io.StringIO())
        call_command("knowledge_daily", stdout=io.StringIO())
    assert OutboundEmail.objects.count() == 2


def test_no_review_warning_when_parameter_78_is_zero(kb, set_param):
    author = factories.UserFactory(username="author", email="author@example.com")
    set_param(78, 0)
    Article.objects.filter(pk=kb["vpn"].pk).update(author=author, review_date=timezone.localdate())
    call_command("knowledge_daily", stdout=io.StringIO())
    assert OutboundEmail.objects.count() == 0


# --- the search log (358/359) and the report -------------------------------------------------------------


def test_searches_are_recorded_normalised_with_their_results(maria, user, kb, set_param):
    set_param(358, True)
    maria.get(reverse("knowledge:home") + "?q=  VPN   Client ")
    maria.get(reverse("knowledge:home") + "?q=vpn+client&page=2")  # the next page is not a search
    maria.get(reverse("knowledge:home") + "?q=teleport")
    maria.get(reverse("knowledge:home"))  # no words: not a search
    rows = list(SearchLog.objects.order_by("pk").values_list("term", "results", "user"))
    assert rows == [("vpn client", 1, user.pk), ("teleport", 0, user.pk)]
    set_param(358, False)
    maria.get(reverse("knowledge:home") + "?q=teleport")
    assert SearchLog.objects.count() == 2


def test_old_searches_are_purged_after_parameter_359_days(db, set_param):
    now = timezone.now()
    old = SearchLog.objects.create(term="old", results=0, created_at=now - timedelta(days=11))
    SearchLog.objects.create(term="new", results=0, created_at=now - timedelta(days=9))
    set_param(359, 0)
    assert search_log_purge(now=now) == 0
    set_param(359, 10)
    assert search_log_purge(now=now) == 1
    assert not SearchLog.objects.filter(pk=old.pk).exists()


@pytest.fixture
def report_data(catalog, kb, user, portal_ready):
    for _ in range(3):
        SearchLog.objects.create(term="teleport", results=0, user=user)
    SearchLog.objects.create(term="vpn", results=1, user=user)
    Deflection.objects.create(service=catalog["printing"], article=kb["printer"], user=user)
    Deflection.objects.create(service=catalog["printing"], article=kb["printer"], user=user)
    factories.open_ticket(requester=user, activity=catalog["toner"])
    return catalog


def test_the_report_lists_no_result_searches_and_deflection_rates(report_data, admin_user):
    admin = _client(admin_user)
    reply = admin.get(reverse("admin:knowledge_searchlog_report"))
    assert reply.status_code == 200
    assert reply.context["empty"] == [
        {"term": "teleport", "searches": 3, "last": reply.context["empty"][0]["last"]}
    ]
    assert [(r["term"], r["searches"]) for r in reply.context["top"]] == [("teleport", 3), ("vpn", 1)]
    [row] = reply.context["deflections"]
    assert (row["name"], row["deflections"], row["requests"], row["rate"]) == ("Printing", 2, 1, 66.7)
    page = reply.content.decode()
    assert "teleport" in page
    assert "66.7%" in page
    body = b"".join(admin.get(reverse("admin:knowledge_searchlog_report_csv")).streaming_content).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(body)))
    assert ["Searches that found nothing", "teleport", "3", "0", ""] in rows
    assert ["Deflection per service", "Printing", "2", "1", "66.7"] in rows


def test_the_report_runs_a_fixed_number_of_queries(report_data, admin_user, user, django_assert_num_queries):
    admin = _client(admin_user)
    url = reverse("admin:knowledge_searchlog_report")
    admin.get(url)
    # session, user, top searches, no-result searches, deflection rates
    with django_assert_num_queries(5):
        admin.get(url)
    for i in range(30):
        SearchLog.objects.create(term=f"term {i}", results=i % 2, user=user)
        Deflection.objects.create(service=factories.ServiceFactory(), user=user)
    with django_assert_num_queries(5):
        reply = admin.get(url + "?days=7")
    assert len(reply.context["top"]) == 20


def test_the_report_is_for_administrators(report_data, user):
    staff = factories.UserFactory(username="staffer", is_staff=True)
    assert _client(staff).get(reverse("admin:knowledge_searchlog_report")).status_code == 403
    assert _client(user).get(reverse("admin:knowledge_searchlog_report")).status_code == 302


# --- "This solved my problem" ---------------------------------------------------------------------------


def test_a_suggested_article_offers_this_solved_my_problem_and_counts_a_deflection(maria, user, catalog, kb):
    found = maria.get(
        reverse("knowledge:suggest") + f"?q=printer+paper&service={catalog['printing'].pk}"
    ).json()
    url = found["results"][0]["url"]
    assert (
        url
        == reverse("knowledge:article", kwargs={"pk": kb["printer"].pk})
        + f"?for_service={catalog['printing'].pk}"
    )
    page = maria.get(url).content.decode()
    assert "This solved my problem" in page
    assert (
        "This solved my problem"
        not in maria.get(reverse("knowledge:article", kwargs={"pk": kb["printer"].pk})).content.decode()
    )
    reply = maria.post(
        reverse("knowledge:solved", kwargs={"pk": kb["printer"].pk}),
        {"service": catalog["printing"].pk},
        follow=True,
    )
    assert "no request was opened" in reply.content.decode()
    d = Deflection.objects.get()
    assert (d.service, d.article, d.user) == (catalog["printing"], kb["printer"], user)


def test_a_deflection_for_a_missing_service_is_a_404(maria, catalog, kb):
    reply = maria.post(reverse("knowledge:solved", kwargs={"pk": kb["vpn"].pk}), {"service": 999999})
    assert reply.status_code == 404
    assert Deflection.objects.count() == 0


def test_the_article_list_counts_the_answers_once_whatever_the_filter(
    kb, user, other_user, admin_user, catalog
):
    from knowledge.services import rating_save

    printer = kb["printer"]
    printer.services.add(catalog["payroll"])  # two services: a join on them would double the counts
    rating_save(article=printer, user=user, helpful=True)
    rating_save(article=printer, user=other_user, helpful=False)
    admin = _client(admin_user)
    url = reverse("admin:knowledge_article_changelist")
    for query in ("", f"?services__portfolio__id__exact={catalog['technical'].pk}"):
        reply = admin.get(url + query)
        [row] = [a for a in reply.context["cl"].result_list if a.pk == printer.pk]
        assert (row.yes_count, row.no_count) == (1, 1), query


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "99999999999999999999", "1.5"])
def test_a_bad_service_in_the_suggestion_link_is_ignored(maria, kb, bad):
    url = reverse("knowledge:article", kwargs={"pk": kb["vpn"].pk})
    reply = maria.get(url, {"for_service": bad})
    assert reply.status_code == 200
    assert "This solved my problem" not in reply.content.decode()
    assert (
        maria.post(reverse("knowledge:solved", kwargs={"pk": kb["vpn"].pk}), {"service": bad}).status_code
        == 404
    )
