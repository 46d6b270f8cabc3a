"""Active Campaigns (docs/domain.md, element 13) in a real browser, in English, Portuguese and
Spanish: the opening time of a campaign that starts tomorrow, answering with a required question,
"answered", a second attempt (UI and replayed POST), the answer cap, a Catalog campaign's tab, a
Public link logged out, the results' charts and the CSV export.

The expected labels are written out per language here, so a missing translation fails the test.
axe-core, failed sub-resources and JavaScript errors are checked on every page by conftest.py.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from campaigns.models import Campaign, Response
from tests import factories
from tests.campaigns.factories import CampaignFactory, every_kind_questionnaire

LABELS = {
    "en": {
        "Active Campaigns": "Active Campaigns",
        "opens": "This campaign opens on",
        "months": "January February March April May June July August September October November December",
        "Send answers": "Send answers",
        "required": "This field is required.",
        "answered": "answered",
        "You answered": "You answered this campaign",
        "closed": "This campaign is closed.",
        "Active campaigns": "Active campaigns",
        "Results": "Results",
        "Export": "Export all answers (CSV)",
        "Yes": "Yes",
    },
    "pt-br": {
        "Active Campaigns": "Campanhas ativas",
        "opens": "Esta campanha abre em",
        "months": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        "Send answers": "Enviar respostas",
        "required": "Este campo é obrigatório.",
        "answered": "respondida",
        "You answered": "Você respondeu a esta campanha",
        "closed": "Esta campanha está encerrada.",
        "Active campaigns": "Campanhas ativas",
        "Results": "Resultados",
        "Export": "Exportar todas as respostas (CSV)",
        "Yes": "Sim",
    },
    "es": {
        "Active Campaigns": "Campañas activas",
        "opens": "Esta campaña se abre el",
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "Send answers": "Enviar respuestas",
        "required": "Este campo es obligatorio.",
        "answered": "respondida",
        "You answered": "Respondió a esta campaña",
        "closed": "Esta campaña está cerrada.",
        "Active campaigns": "Campañas activas",
        "Results": "Resultados",
        "Export": "Exportar todas las respuestas (CSV)",
        "Yes": "Sí",
    },
}


def _speaks(user, lang: str) -> None:
    user.preferred_language = lang
    user.save(update_fields=["preferred_language"])


@pytest.fixture
def survey(transactional_db):
    questionnaire, q = every_kind_questionnaire(title="Service desk satisfaction")
    return questionnaire, q


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_campaign_walkthrough(page, login, maria, survey, lang):
    t = LABELS[lang]
    _speaks(maria, lang)
    questionnaire, q = survey
    start = (timezone.now() + timedelta(days=1)).replace(minute=37, second=0, microsecond=0)
    later = CampaignFactory(
        title="Next quarter", questionnaire=questionnaire, starts_at=start, ends_at=start + timedelta(days=9)
    )
    now_open = CampaignFactory(title="Satisfaction 2026", questionnaire=questionnaire)

    login(page, "maria", "maria")

    # A campaign that starts tomorrow: its opening date and time, in the browser's zone, and no form
    page.goto(later.get_absolute_url())
    scheduled = page.locator("#campaign-scheduled")
    expect(scheduled).to_contain_text(t["opens"])
    zone = ZoneInfo(page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone"))
    local = start.astimezone(zone)
    month = t["months"].split()[local.month - 1]
    expect(scheduled).to_contain_text(re.compile(rf"\b{local.day}\b.*{month}|{month}.*\b{local.day}\b"))
    expect(scheduled).to_contain_text(f"{local.hour % 12 or 12}:37" if lang == "en" else f"{local:%H}:37")
    expect(page.locator("#campaign-form")).to_have_count(0)

    # The menu's Active Campaigns lists the open one only
    page.get_by_role("link", name=t["Active Campaigns"], exact=True).click()
    expect(page.locator("#campaign-list")).to_contain_text(now_open.title)
    expect(page.locator("#campaign-list")).not_to_contain_text(later.title)
    page.get_by_role("link", name=now_open.title, exact=True).click()

    # A required question left empty is refused next to it; the other answers stay
    form = page.locator("#campaign-form")
    form.get_by_label(q["short"].text).fill("Finance")
    form.get_by_role("group", name=q["yes_no"].text).get_by_label(t["Yes"], exact=True).check()
    form.get_by_label(q["long"].text).fill("<b>Keep</b> it up")
    page.get_by_role("button", name=t["Send answers"], exact=True).click()
    rating = page.locator(f'[data-question="{q["rating"].pk}"]')
    expect(rating.locator(".invalid-feedback")).to_contain_text(t["required"])
    expect(page.locator(f'[data-question="{q["short"].pk}"] input')).to_have_value("Finance")
    assert not Response.objects.filter(campaign=now_open).exists()

    # Answered: saved once, the page then says so
    csrf = page.locator("#campaign-form input[name=csrfmiddlewaretoken]").input_value()
    page.get_by_role("group", name=q["rating"].text).get_by_label("4", exact=True).check()
    page.get_by_role("button", name=t["Send answers"], exact=True).click()
    expect(page.locator("#campaign-answered")).to_contain_text(t["You answered"])
    expect(page.locator("#campaign-form")).to_have_count(0)
    assert Response.objects.filter(campaign=now_open, user=maria).count() == 1

    # A replayed POST adds nothing
    replay = page.request.post(
        now_open.get_absolute_url(),
        form={"csrfmiddlewaretoken": csrf, f"q{q['rating'].pk}": "1", f"q{q['yes_no'].pk}": "no"},
        headers={"Referer": page.url},
    )
    assert replay.status == 409
    assert Response.objects.filter(campaign=now_open).count() == 1

    # The list marks it answered
    page.get_by_role("link", name=t["Active Campaigns"], exact=True).click()
    item = page.locator(f'#campaign-list [data-campaign="{now_open.pk}"]')
    expect(item.locator(".campaign-answered")).to_have_text(t["answered"])


def test_with_a_cap_of_one_the_second_user_sees_closed(page, new_page, login, maria, survey):
    t = LABELS["es"]
    questionnaire, q = survey
    joao = factories.UserFactory(username="joao", password="joao", preferred_language="es")
    _speaks(maria, "es")
    campaign = CampaignFactory(title="One answer only", questionnaire=questionnaire, max_answers=1)

    login(page, "maria", "maria")
    page.goto(campaign.get_absolute_url())
    page.get_by_role("group", name=q["rating"].text).get_by_label("5", exact=True).check()
    page.get_by_role("group", name=q["yes_no"].text).get_by_label(t["Yes"], exact=True).check()
    page.get_by_role("button", name=t["Send answers"], exact=True).click()
    expect(page.locator("#campaign-answered")).to_be_visible()

    second = new_page()
    login(second, joao.username, "joao")
    second.goto(campaign.get_absolute_url())
    expect(second.locator("#campaign-closed")).to_have_text(re.compile(re.escape(t["closed"])))
    expect(second.locator("#campaign-form")).to_have_count(0)
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_catalog_campaign_is_a_tab_on_its_portfolio_only(page, login, maria, survey):
    t = LABELS["pt-br"]
    _speaks(maria, "pt-br")
    questionnaire, _q = survey
    hr = factories.PortfolioFactory(name="Human Resources")
    it = factories.PortfolioFactory(name="IT")
    campaign = CampaignFactory(
        title="How is HR doing?", questionnaire=questionnaire, type=Campaign.Type.CATALOG, portfolio=hr
    )
    login(page, "maria", "maria")
    page.goto(f"/catalog/portfolio/{it.pk}/")
    expect(page.get_by_role("tab")).to_have_count(0)
    page.goto(f"/catalog/portfolio/{hr.pk}/")
    tab = page.get_by_role("tab", name=re.compile(t["Active campaigns"]))
    tab.click()
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_role("link", name=campaign.title)).to_be_visible()
    panel.get_by_role("link", name=campaign.title).click()
    expect(page.locator("#campaign-form")).to_be_visible()


def test_public_link_is_answered_logged_out(page, survey):
    t = LABELS["en"]
    questionnaire, q = survey
    campaign = CampaignFactory(title="Visitors", questionnaire=questionnaire, type=Campaign.Type.PUBLIC)
    page.goto(campaign.get_absolute_url())
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.key}/$"))
    page.get_by_role("group", name=q["rating"].text).get_by_label("3", exact=True).check()
    page.get_by_role("group", name=q["yes_no"].text).get_by_label("No", exact=True).check()
    page.get_by_role("button", name=t["Send answers"], exact=True).click()
    expect(page.locator("#campaign-answered")).to_be_visible()
    page.reload()
    expect(page.locator("#campaign-form")).to_have_count(0)
    response = Response.objects.get(campaign=campaign)
    assert response.user is None


# The contrast of a chart's bar against the page (WCAG 1.4.11, non-text contrast: at least 3:1).
BAR_CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(c).map(linear);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bar = getComputedStyle(document.querySelector(".campaign-chart-bar")).fill;
  const page = getComputedStyle(document.body).backgroundColor;
  const [hi, lo] = [lum(bar), lum(page)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


def test_results_show_the_charts_and_the_csv_downloads_the_answers(page, login, maria, survey, browser_audit):
    t = LABELS["pt-br"]
    questionnaire, q = survey
    quality = factories.GroupFactory(name="Quality")
    maria.groups.add(quality)
    _speaks(maria, "pt-br")
    campaign = CampaignFactory(title="Satisfaction 2026", questionnaire=questionnaire, anonymous=False)
    campaign.interested_groups.add(quality)
    from campaigns.services import response_submit

    for i in range(3):
        response_submit(
            campaign=campaign,
            user=factories.UserFactory(username=f"person{i}"),
            answers={q["rating"].pk: 3 + i, q["yes_no"].pk: "yes", q["long"].pk: f"<script>x{i}</script>"},
        )

    login(page, "maria", "maria")
    page.goto(campaign.get_absolute_url())
    page.get_by_role("link", name=t["Results"]).click()
    chart = page.get_by_role("img", name=re.compile(re.escape(q["rating"].text)))
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", re.compile(r"5: 1 \(33%\)"))
    expect(page.locator(".campaign-text").first).to_have_text("<script>x2</script>")
    # Readable in both modes (Auto follows the device): the bars against the page, and axe in dark.
    page.emulate_media(reduced_motion="reduce")  # no colour transitions while axe measures contrast
    for scheme in ("dark", "light"):
        page.emulate_media(color_scheme=scheme)
        expect(page.locator("html")).to_have_attribute("data-bs-theme", scheme)
        assert page.evaluate(BAR_CONTRAST) >= 3, scheme
    page.emulate_media(color_scheme="dark")
    dark = browser_audit.axe.run(page).response["violations"]
    assert not dark, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in dark]
    page.emulate_media(color_scheme="light")

    with page.expect_download() as info:
        page.get_by_role("link", name=t["Export"]).click()
    body = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 4
    assert {r[2] for r in rows[1:]} == {"person0", "person1", "person2"}


def test_admin_previews_a_questionnaire_and_copies_a_campaign_link(page, login, survey, context):
    questionnaire, q = survey
    factories.UserFactory(username="admin", password="admin", is_staff=True, is_superuser=True)
    campaign = CampaignFactory(title="Linked", questionnaire=questionnaire)
    login(page, "admin", "admin")
    page.goto(f"/admin/questionnaires/questionnaire/{questionnaire.pk}/preview/")
    expect(page.locator("#questionnaire-preview-banner")).to_be_visible()
    expect(page.get_by_role("group", name=q["rating"].text)).to_be_visible()
    expect(page.get_by_role("button", name="Send answers")).to_be_disabled()

    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/admin/campaigns/campaign/{campaign.pk}/change/")
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#campaign-link-status")).to_have_text("Link copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == campaign.link


def test_global_campaigns_notification_shows_in_the_bell_of_its_targets_only(
    page, new_page, login, maria, survey, settings, live_server
):
    from campaigns.services import campaign_announcement_sync

    settings.SITE_URL = live_server.url  # the notification links to the campaign's Link

    questionnaire, _q = survey
    joao = factories.UserFactory(username="joao", password="joao", preferred_language="pt-br")
    _speaks(maria, "es")
    campaign = CampaignFactory(title="Encuesta de satisfacción", questionnaire=questionnaire, notify=True)
    campaign.target_users.add(maria)
    # The announcement is written in the language active at the save (the admin's): pin it, since
    # an earlier test may leave another language active in this process.
    with translation.override("es"):
        campaign_announcement_sync(campaign=campaign)

    login(page, "maria", "maria")
    page.locator("#notifications-bell").click()
    item = page.locator("#notifications-latest li").filter(has_text=campaign.title)
    expect(item).to_be_visible()
    item.get_by_role("link").click()
    page.get_by_role("link", name=re.compile("survey|encuesta", re.I)).first.click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.key}/$"))
    expect(page.locator("#campaign-form")).to_be_visible()

    other = new_page()
    login(other, joao.username, "joao")
    other.locator("#notifications-bell").click()
    expect(other.locator("#notifications-none")).to_be_visible()
    expect(other.get_by_text(campaign.title)).to_have_count(0)
