"""Back office of Active Campaigns: questionnaires (groups and questions as ordered inlines, a preview,
a copy) and campaigns (with their Link and a Copy button).

A questionnaire whose campaigns have answers keeps them: its groups and questions cannot be removed
and a question's kind and existing choices cannot be changed (the page says so and offers a copy);
``Answer.question`` is PROTECT as the last guard.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.forms import DATETIME_LOCAL_OVERRIDES
from core.ids import parse_id

from .forms import AnswerForm
from .models import (
    Campaign,
    Question,
    QuestionGroup,
    Questionnaire,
    QuestionnaireCategory,
    Response,
    choice_lines,
)
from .selectors import questionnaire_questions
from .services import campaign_announcement_sync, questionnaire_copy

LOCKED_HELP = _(
    "This questionnaire already has answers. So that none is lost, its groups and questions cannot be "
    "removed and a question's kind and existing choices cannot be changed; texts, order, new choices "
    "and new questions are fine. To change more, make a copy and use the copy in a new campaign."
)


@admin.register(QuestionnaireCategory)
class QuestionnaireCategoryAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


def _answered(questionnaire_id: int | None) -> bool:
    """A campaign of the questionnaire has answers (kept as rows that point at its questions)."""
    if not questionnaire_id:
        return False
    return Response.objects.filter(campaign__questionnaire_id=questionnaire_id).exists()


class QuestionGroupInline(admin.TabularInline):
    model = QuestionGroup
    fields = ("order", "title", "question_count")
    readonly_fields = ("question_count",)
    extra = 1
    show_change_link = True

    @admin.display(description=_("questions"))
    def question_count(self, obj: QuestionGroup) -> int:
        return obj.questions.count() if obj.pk else 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _answered(obj.pk):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "group_count", "campaign_count", "updated_at")
    list_filter = ("category",)
    search_fields = ("title",)
    list_select_related = ("category",)
    inlines = [QuestionGroupInline]
    actions = ["copy_selected"]
    change_form_template = "admin/campaigns/questionnaire/change_form.html"
    fields = ("title", "category", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Questionnaire]:
        return (
            super()
            .get_queryset(request)
            .annotate(n_groups=Count("groups", distinct=True), n_campaigns=Count("campaigns", distinct=True))
        )

    @admin.display(description=_("groups"), ordering="n_groups")
    def group_count(self, obj: Questionnaire) -> int:
        return obj.n_groups  # type: ignore[attr-defined]

    @admin.display(description=_("campaigns"), ordering="n_campaigns")
    def campaign_count(self, obj: Questionnaire) -> int:
        return obj.n_campaigns  # type: ignore[attr-defined]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _answered(obj.pk):
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        own = [
            path(
                "<id:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="questionnaires_questionnaire_preview",
            ),
            path(
                "<id:pk>/copy/",
                self.admin_site.admin_view(self.copy_view),
                name="questionnaires_questionnaire_copy",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if request.method == "GET" and _answered(parse_id(object_id)):
            messages.warning(request, LOCKED_HELP)
            extra_context["locked"] = True
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The questionnaire as people will see it on a campaign's page; nothing can be sent."""
        questionnaire = get_object_or_404(Questionnaire.objects.select_related("category"), pk=pk)
        if not self.has_view_or_change_permission(request, questionnaire):
            raise PermissionDenied
        form = AnswerForm(questions=questionnaire_questions(questionnaire_id=questionnaire.pk), disabled=True)
        return render(
            request,
            "campaigns/questionnaire_preview.html",
            {
                "questionnaire": questionnaire,
                "form": form,
                "admin_url": reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk]),
            },
        )

    def copy_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._copy)(request, pk)

    def _copy(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = get_object_or_404(Questionnaire, pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = questionnaire_copy(questionnaire=questionnaire)
        messages.success(
            request,
            gettext("“%(title)s” was copied: this is the copy, without answers.") % {"title": questionnaire},
        )
        return HttpResponseRedirect(reverse("admin:questionnaires_questionnaire_change", args=[copy.pk]))

    @admin.action(description=_("Copy the selected questionnaires"), permissions=["add"])
    def copy_selected(self, request: HttpRequest, queryset: QuerySet[Questionnaire]) -> None:
        copies = [questionnaire_copy(questionnaire=q) for q in queryset]
        self.message_user(
            request, gettext("%(count)d questionnaire(s) copied.") % {"count": len(copies)}, messages.SUCCESS
        )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ("order", "text", "kind", "required", "choices", "shown_if_question", "shown_if_value")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "choices": forms.Textarea(attrs={"rows": 3, "cols": 30}),
        }

    def __init__(
        self, *args: Any, locked: bool = False, questionnaire_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locked = locked
        # A condition looks at a choice, rating or yes/no question of the same questionnaire.
        if "shown_if_question" in self.fields:
            field = cast(forms.ModelChoiceField, self.fields["shown_if_question"])
            field.queryset = (
                Question.objects.filter(
                    group__questionnaire_id=questionnaire_id, kind__in=Question.CONDITION_KINDS
                ).order_by("group__order", "group_id", "order", "id")
                if questionnaire_id
                else Question.objects.none()
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, choices = data.get("kind"), choice_lines(data.get("choices") or "")
        errors: dict[str, str] = {}
        if kind in Question.CHOICE_KINDS and len(choices) < 2:
            errors["choices"] = gettext("Give at least two choices, one per line.")
        if kind not in Question.CHOICE_KINDS and choices:
            errors["choices"] = gettext("Only single and multiple choice questions have choices.")
        if kind == Question.Kind.INFO and data.get("required"):
            errors["required"] = gettext("An information text is not a question: it cannot be required.")
        errors.update(self._condition_errors(data))
        if self.locked and self.instance.pk:
            old = Question.objects.get(pk=self.instance.pk)
            if kind != old.kind:
                errors["kind"] = gettext(
                    "The questionnaire has answers: the kind of a question cannot change."
                )
            removed = [c for c in old.choice_list if c not in choices]
            if removed and "choices" not in errors:
                errors["choices"] = gettext(
                    "The questionnaire has answers: existing choices cannot be removed "
                    "or renamed (%(choices)s)."
                ) % {"choices": ", ".join(removed)}
        if errors:
            raise ValidationError(errors)
        if kind in Question.CHOICE_KINDS:
            data["choices"] = "\n".join(choices)
        return data

    def _condition_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """A condition names a question and one of its answers, and never the question itself."""
        parent, value = data.get("shown_if_question"), (data.get("shown_if_value") or "").strip()
        data["shown_if_value"] = value
        if parent is None:
            if value:
                return {"shown_if_question": gettext("Choose the question whose answer shows this one.")}
            return {}
        if self.instance.pk and parent.pk == self.instance.pk:
            return {"shown_if_question": gettext("A question cannot depend on its own answer.")}
        values = parent.answer_values()
        if value not in values:
            return {
                "shown_if_value": gettext("Write one of the answers of that question: %(values)s.")
                % {"values": ", ".join(values)}
            }
        return {}


class QuestionInline(admin.TabularInline):
    model = Question
    form = QuestionForm
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        locked = obj is not None and _answered(obj.questionnaire_id)
        questionnaire_id = obj.questionnaire_id if obj is not None else None

        class Locked(formset):  # type: ignore[misc, valid-type]
            def get_form_kwargs(self, index):
                return {
                    **super().get_form_kwargs(index),
                    "locked": locked,
                    "questionnaire_id": questionnaire_id,
                }

        return Locked

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _answered(obj.questionnaire_id):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(QuestionGroup)
class QuestionGroupAdmin(admin.ModelAdmin):
    """A group's questions, reached from its questionnaire's page ("Change" on the group's row)."""

    list_display = ("title", "questionnaire", "order")
    list_select_related = ("questionnaire",)
    search_fields = ("title", "questionnaire__title")
    fields = ("questionnaire", "title", "order")
    inlines = [QuestionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return ("questionnaire",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _answered(obj.questionnaire_id):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group_id = parse_id(object_id)
        group = (
            QuestionGroup.objects.filter(pk=group_id).only("questionnaire_id").first() if group_id else None
        )
        if request.method == "GET" and group and _answered(group.questionnaire_id):
            messages.warning(request, LOCKED_HELP)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return HttpResponseRedirect(
                reverse("admin:questionnaires_questionnaire_change", args=[obj.questionnaire_id])
            )
        return super().response_change(request, obj)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = (
            "title",
            "status",
            "questionnaire",
            "type",
            "portfolio",
            "service",
            "starts_at",
            "ends_at",
            "max_answers",
            "anonymous",
            "notify",
            "notify_by_email",
            "target_groups",
            "target_users",
            "interested_groups",
            "interested_users",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        errors: dict[str, str] = {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            errors["ends_at"] = gettext("The end must be after the start.")
        if kind == Campaign.Type.CATALOG and not data.get("portfolio"):
            errors["portfolio"] = gettext("A Catalog campaign needs the portfolio whose page shows it.")
        if kind == Campaign.Type.SERVICE and not data.get("service"):
            errors["service"] = gettext("A Service campaign needs the service whose page shows it.")
        if kind != Campaign.Type.CATALOG:
            data["portfolio"] = None
        if kind != Campaign.Type.SERVICE:
            data["service"] = None
        if kind != Campaign.Type.GLOBAL and (data.get("target_groups") or data.get("target_users")):
            errors["target_groups"] = gettext("Only Global campaigns have target groups and users.")
        if kind != Campaign.Type.GLOBAL and data.get("notify"):
            errors["notify"] = gettext("Only Global campaigns are announced with a notification.")
        if data.get("notify_by_email") and not data.get("notify"):
            errors["notify_by_email"] = gettext("Only an announced campaign is announced by e-mail.")
        instance = self.instance
        if (
            instance.pk
            and data.get("questionnaire")
            and data["questionnaire"].pk != instance.questionnaire_id
            and instance.responses.exists()
        ):
            errors["questionnaire"] = gettext(
                "This campaign has answers: its questionnaire cannot be replaced. Create a new campaign."
            )
        if errors:
            raise ValidationError(errors)
        return data


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    formfield_overrides = DATETIME_LOCAL_OVERRIDES  # one labelled date-time control each (axe)
    list_display = ("title", "type", "status", "starts_at", "ends_at", "answers_display", "results_link")
    list_filter = ("type", "status", "questionnaire__category")
    search_fields = ("title", "questionnaire__title")
    list_select_related = ("questionnaire",)
    date_hierarchy = "starts_at"
    raw_id_fields = ("portfolio", "service")
    readonly_fields = ("link_display", "answer_count", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "status", "questionnaire", "type", "portfolio", "service")}),
        (_("Period and limit"), {"fields": (("starts_at", "ends_at"), "max_answers", "answer_count")}),
        (
            _("Who answers (Global campaigns)"),
            {"fields": ("target_groups", "target_users", "notify", "notify_by_email")},
        ),
        (_("Results"), {"fields": ("anonymous", "interested_groups", "interested_users")}),
        (_("Link"), {"fields": ("link_display", "created_at", "updated_at")}),
    )

    class Media:
        js = ("js/copy-link.js",)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the targets are saved: the announcement follows the campaign (services)."""
        super().save_related(request, form, formsets, change)
        campaign_announcement_sync(campaign=form.instance, actor=cast(User, request.user))  # staff only

    @admin.display(description=_("answers"), ordering="answer_count")
    def answers_display(self, obj: Campaign) -> str:
        return f"{obj.answer_count} / {obj.max_answers}" if obj.max_answers else str(obj.answer_count)

    @admin.display(description=_("results"))
    def results_link(self, obj: Campaign) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("campaigns:results", kwargs={"key": obj.key}), gettext("Results")
        )

    @admin.display(description=_("link"))
    def link_display(self, obj: Campaign) -> str:
        if not obj.pk:
            return gettext("Shown once the campaign is saved.")
        return format_html(
            '<a href="{url}" id="campaign-link">{url}</a> '
            '<button type="button" class="button" data-copy-target="campaign-link" '
            'data-copy-status="campaign-link-status" '
            'data-copied-text="{copied}" data-failed-text="{failed}" hidden>{copy}</button> '
            '<span id="campaign-link-status" role="status"></span>'
            '<br><a href="{results}">{results_label}</a>',
            url=obj.link,
            copy=gettext("Copy"),
            copied=gettext("Link copied."),
            failed=gettext("The link could not be copied: select it and copy it by hand."),
            results=reverse("campaigns:results", kwargs={"key": obj.key}),
            results_label=gettext("Results"),
        )
