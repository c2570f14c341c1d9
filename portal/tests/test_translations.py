"""The Chinese interface is complete: every string of the code is translated, and
the compiled catalogue the portal serves matches the source catalogue."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")


def _text(entry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def test_every_string_has_a_chinese_translation():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in po if not entry.obsolete and (not _text(entry) or "fuzzy" in entry.flags)]
    assert untranslated == [], (
        f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}; see bin/compile-translations"
    )


def test_translations_keep_every_placeholder():
    po = polib.pofile(str(CATALOGUE))
    broken = [
        entry.msgid
        for entry in po
        if _text(entry) and sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(_text(entry)))
    ]
    assert broken == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {(entry.msgctxt, entry.msgid): _text(entry) for entry in mo}
    stale = [
        entry.msgid for entry in po.translated_entries() if compiled.get((entry.msgctxt, entry.msgid)) != _text(entry)
    ]
    assert stale == [], f"locale .mo is out of date for {stale[:5]}; run bin/compile-translations"
