"""English is a full second language: every Dutch source string has an English translation."""

import re
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def test_english_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 1000
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            translated = entry.msgstr_plural[1]
            source = entry.msgid_plural
        else:
            translated, source = entry.msgstr, entry.msgid
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translated)), (
            entry.msgid
        )
