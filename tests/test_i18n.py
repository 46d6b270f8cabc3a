"""Every user-facing string is translated into pt-BR and es, and the compiled catalogs that
``make run`` uses (no gettext tools needed) match the sources."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGS = ["pt_BR", "es"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\$\{\w+\}|\{\w*\}")


def _unquote(chunks: list[str]) -> str:
    return "".join(ast.literal_eval(c) for c in chunks)


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, msgid_plural, msgstr(s), flags."""
    entries, cur, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if cur and "msgid" in cur:
                entries.append(cur)
            cur, key = None, None
            continue
        cur = cur or {"flags": set(), "obsolete": False}
        if line.startswith("#~"):
            cur["obsolete"] = True
            continue
        if line.startswith("#,"):
            cur["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'^(msgid_plural|msgid|msgstr\[\d+\]|msgstr|msgctxt)\s+(".*")$', line)
        if m:
            key = m.group(1)
            cur.setdefault(key, []).append(m.group(2))
        elif line.startswith('"') and key:
            cur[key].append(line)
    for e in entries:
        for k in list(e):
            if k.startswith("msg"):
                e[k] = _unquote(e[k])
    return [e for e in entries if not e["obsolete"]]


@pytest.fixture(scope="module", params=LANGS)
def catalog(request):
    po = LOCALE / request.param / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run `make messages`"
    return request.param, parse_po(po)


def test_every_string_is_translated_and_none_is_fuzzy(catalog):
    lang, entries = catalog
    missing = [e["msgid"] for e in entries[1:] if not all(e[k] for k in e if k.startswith("msgstr"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_placeholders_are_kept(catalog):
    lang, entries = catalog
    wrong = []
    for e in entries[1:]:
        expected = sorted(PLACEHOLDER.findall(e.get("msgid_plural") or e["msgid"]))
        for k in (k for k in e if k.startswith("msgstr")):
            got = sorted(PLACEHOLDER.findall(e[k]))
            # a singular form may drop the count ("1 ticket" -> "um ticket")
            if got != expected and not (k == "msgstr[0]" and set(got) <= set(expected)):
                wrong.append((e["msgid"], e[k]))
    assert not wrong, f"{lang}: placeholders differ in {wrong[:5]}"


def test_compiled_catalog_matches_the_sources(catalog):
    lang, entries = catalog
    mo = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: run `make messages` (compilemessages)"
    with mo.open("rb") as fh:
        t = gettext.GNUTranslations(fh)
    stale = [
        e["msgid"]
        for e in entries[1:]
        if "msgid_plural" not in e and "msgctxt" not in e and t.gettext(e["msgid"]) != e["msgstr"]
    ]
    assert not stale, f"{lang}: django.mo is older than django.po, e.g. {stale[:5]}"


@pytest.mark.parametrize(("lang", "expected"), [("pt-br", "Minhas solicitações"), ("es", "Mis solicitudes")])
def test_the_portal_speaks_the_language(lang, expected):
    with translation.override(lang):
        assert translation.gettext("My Requests") == expected
