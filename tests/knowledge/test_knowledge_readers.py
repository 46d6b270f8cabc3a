"""Readers of the Knowledge Portal (docs/knowledge.md): "Was this helpful?" once per user and article,
favourites, comments shown only once accepted, the print view."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from knowledge.models import ArticleComment, ArticleRating, Favourite
from tests import factories


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(name: str, article) -> str:
    return reverse(f"knowledge:{name}", kwargs={"pk": article.pk})


# --- ratings -----------------------------------------------------------------------------------


def test_rating_once_per_user_a_second_answer_replaces_the_first(maria, user, kb):
    article = kb["vpn"]
    reply = maria.post(_url("rate", article), {"helpful": "yes", "comment": "Clear steps"})
    assert reply.status_code == 302
    assert reply["Location"].endswith("#article-rating")
    maria.post(_url("rate", article), {"helpful": "no", "comment": ""})
    rating = ArticleRating.objects.get()
    assert (rating.user, rating.helpful, rating.comment) == (user, False, "")
    page = maria.get(_url("article", article)).content.decode()
    assert "You answered: No." in page
    assert "article-rating-results" not in page  # results are for the author and administrators


def test_a_rating_without_yes_or_no_is_refused(maria, kb):
    reply = maria.post(_url("rate", kb["vpn"]), {"helpful": "maybe"}, follow=True)
    assert ArticleRating.objects.count() == 0
    assert "Your answer was not saved" in reply.content.decode()


def test_the_author_and_the_staff_see_the_results(kb, user, other_user, admin_user):
    article = kb["vpn"]
    author = factories.UserFactory(username="author")
    article.author = author
    article.save()
    _client(user).post(_url("rate", article), {"helpful": "yes", "comment": "<b>great</b>"})
    _client(other_user).post(_url("rate", article), {"helpful": "no"})
    for reader in (author, admin_user):
        page = _client(reader).get(_url("article", article)).content.decode()
        assert "Yes: 1 · No: 1" in page
        assert "&lt;b&gt;great&lt;/b&gt;" in page  # escaped
    assert "article-rating-results" not in _client(other_user).get(_url("article", article)).content.decode()


def test_a_rating_of_an_article_one_may_not_see_is_a_404(maria, kb):
    assert maria.post(_url("rate", kb["draft"]), {"helpful": "yes"}).status_code == 404
    assert ArticleRating.objects.count() == 0


# --- favourites ------------------------------------------------------------------------------------


def test_add_list_and_remove_favourites(maria, user, kb):
    empty = maria.get(reverse("knowledge:favourites"))
    assert 'id="favourites-empty"' in empty.content.decode()
    maria.post(_url("favourite", kb["vpn"]), {"action": "add"})
    maria.post(_url("favourite", kb["vpn"]), {"action": "add"})  # twice: still one
    maria.post(_url("favourite", kb["email"]), {"action": "add"})
    assert Favourite.objects.filter(user=user).count() == 2
    page = maria.get(_url("article", kb["vpn"])).content.decode()
    assert "Remove from favourites" in page
    listing = maria.get(reverse("knowledge:favourites"))
    assert [a.pk for a in listing.context["articles"]] == [kb["email"].pk, kb["vpn"].pk]
    reply = maria.post(_url("favourite", kb["vpn"]), {"action": "remove", "next": "favourites"})
    assert reply["Location"] == reverse("knowledge:favourites")
    assert list(Favourite.objects.values_list("article", flat=True)) == [kb["email"].pk]


def test_favourites_list_only_what_one_may_still_read(maria, user, kb):
    Favourite.objects.create(user=user, article=kb["vpn"])
    Favourite.objects.create(user=user, article=kb["draft"])  # e.g. unpublished after being added
    listing = maria.get(reverse("knowledge:favourites"))
    assert [a.pk for a in listing.context["articles"]] == [kb["vpn"].pk]


def test_favourites_are_paginated_with_a_fixed_number_of_queries(
    maria, user, catalog, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            Favourite.objects.create(
                user=user, article=factories.ArticleFactory(services=[catalog["printing"]])
            )

    url = reverse("knowledge:favourites")
    add(3)
    maria.get(url)
    # user, parameters (shell from the cache), count, page
    with django_assert_num_queries(4):
        assert maria.get(url).status_code == 200
    add(25)
    with django_assert_num_queries(4):
        reply = maria.get(url + "?page=2")
    assert len(reply.context["articles"]) == 10


# --- comments -----------------------------------------------------------------------------------------


def test_a_comment_is_shown_to_others_only_once_accepted(kb, user, other_user, admin_user):
    article = kb["vpn"]
    maria, joao = _client(user), _client(other_user)
    reply = maria.post(_url("comment", article), {"text": "Works with <script>x</script> too"}, follow=True)
    assert "once an administrator accepts it" in reply.content.decode()
    comment = ArticleComment.objects.get()
    assert comment.status == ArticleComment.Status.PENDING
    own = maria.get(_url("article", article)).content.decode()
    assert "Awaiting moderation" in own
    assert "&lt;script&gt;" in own
    assert "Works with" not in joao.get(_url("article", article)).content.decode()

    admin = _client(admin_user)
    changelist = reverse("admin:knowledge_articlecomment_changelist")
    admin.post(changelist, {"action": "accept", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (ArticleComment.Status.ACCEPTED, admin_user)
    page = joao.get(_url("article", article)).content.decode()
    assert "Works with" in page
    assert "Awaiting moderation" not in page

    admin.post(changelist, {"action": "reject", "_selected_action": [comment.pk]})
    assert "Works with" not in joao.get(_url("article", article)).content.decode()
    assert "Works with" not in maria.get(_url("article", article)).content.decode()


def test_an_empty_comment_is_refused(maria, kb):
    reply = maria.post(_url("comment", kb["vpn"]), {"text": "   "}, follow=True)
    assert ArticleComment.objects.count() == 0
    assert "alert-danger" in reply.content.decode() or "This field is required" in reply.content.decode()


def test_moderation_needs_the_change_permission(kb, user):
    comment = ArticleComment.objects.create(article=kb["vpn"], author=user, text="Hi")
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_articlecomment"))
    c = _client(viewer)
    c.post(
        reverse("admin:knowledge_articlecomment_changelist"),
        {"action": "accept", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.status == ArticleComment.Status.PENDING


# --- print ---------------------------------------------------------------------------------------------


def test_the_print_view_is_the_article_without_the_shell(maria, kb):
    reply = maria.get(_url("print", kb["password"]))
    page = reply.content.decode()
    assert reply.status_code == 200
    assert "Reset a forgotten password" in page
    assert "Portal toolbar" not in page
    assert "knowledge-print.css" in page
    assert maria.get(_url("print", kb["draft"])).status_code == 404


@pytest.mark.parametrize(("language", "title"), [("es", "Restablecer una contraseña olvidada")])
def test_the_print_view_is_in_the_readers_language(maria, user, kb, language, title):
    user.preferred_language = language
    user.save()
    assert title in maria.get(_url("print", kb["password"])).content.decode()
