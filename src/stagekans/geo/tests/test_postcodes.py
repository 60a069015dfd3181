"""Issue 9, defect 4: every real PC4 resolves to its place; every example in a form resolves."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.core.management import call_command
from django.core.management.base import CommandError

import stagekans
from stagekans.geo.models import PostcodeArea
from stagekans.geo.pc4 import Pc4FileError, builtin_rows, parse_pc4_file, pc4_by_place, pc4_ranges
from stagekans.geo.places import find_place, haversine_km
from stagekans.geo.selectors import point_for
from stagekans.geo.services import locate

pytestmark = pytest.mark.django_db

SRC = Path(stagekans.__file__).resolve().parent
POSTCODE = re.compile(r"\b[1-9][0-9]{3} ?[A-Z]{2}\b")


@pytest.mark.parametrize(
    ("query", "place"),
    [
        ("3511 AB", "Utrecht"),
        ("3511AB", "Utrecht"),
        ("6511", "Nijmegen"),
        ("1012", "Amsterdam"),
        ("1012 AB", "Amsterdam"),
        ("2951", "Alblasserdam"),
        ("5211", "'s-Hertogenbosch"),
        ("2511", "Den Haag"),
        ("9711", "Groningen"),
        ("6211", "Maastricht"),
        ("9999", "Stitswerd"),
    ],
)
def test_real_pc4_resolves_to_its_place(query, place):
    area = PostcodeArea.objects.get(pc4=query[:4])
    assert area.place == place
    expected = find_place(place)
    assert expected is not None
    lat, lon = point_for(query)
    assert haversine_km(lat, lon, expected.latitude, expected.longitude) < 15


def test_the_whole_table_is_loaded_and_plausible():
    rows = builtin_rows()
    assert len(rows) > 4000
    assert PostcodeArea.objects.count() == len(rows)
    # The big cities own their whole real ranges.
    by_place = pc4_by_place()
    assert ("1011", "1019") in pc4_ranges(by_place["Amsterdam"])
    assert "3511" in by_place["Utrecht"] and "3584" in by_place["Utrecht"]
    assert "6511" in by_place["Nijmegen"] and "6525" in by_place["Nijmegen"]
    # Every area lies in or near its place.
    for row in rows:
        place = find_place(row.place)
        assert place is not None, row
        if place.province != row.province:  # a namesake in another province
            continue
        # (Friesland has namesakes inside one province too: Nes, Oudega, ~30 km apart.)
        assert haversine_km(row.latitude, row.longitude, place.latitude, place.longitude) < 35


@pytest.mark.parametrize(
    ("name", "official"),
    [
        ("Den Bosch", "'s-Hertogenbosch"),
        ("den bosch", "'s-Hertogenbosch"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("s-Hertogenbosch", "'s-Hertogenbosch"),
        ("'s-Gravenhage", "Den Haag"),
        ("The Hague", "Den Haag"),
        ("Almere Stad", "Almere"),
        ("Nijmegen", "Nijmegen"),
        ("Stitswerd", "Stitswerd"),
    ],
)
def test_alternative_place_names(name, official):
    place = find_place(name)
    assert place is not None and place.name == official
    assert point_for(name) is not None


def test_locate_uses_the_area_and_never_invents_one():
    located = locate(postcode="6511 AB", place="Nijmegen")
    assert located.place == "Nijmegen" and located.province == "GE"
    before = PostcodeArea.objects.count()
    PostcodeArea.objects.filter(pc4="6511").delete()
    located = locate(postcode="6511 AB", place="Nijmegen")
    assert located.place == "Nijmegen"
    assert PostcodeArea.objects.count() == before - 1  # not re-created from the typed place


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages([str(SRC)], prefix="stagekans."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("stagekans."):
                found.append(sub)
    return found


def _examples_in_forms() -> list[tuple[str, str]]:
    examples = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            texts = [str(field.help_text or ""), str(field.widget.attrs.get("placeholder", ""))]
            label = f"{form_class.__name__}.{name}"
            for text in texts:
                examples += [(label, pc) for pc in POSTCODE.findall(text)]
                if re.search(r"plaats|postcode|waar|place", f"{name} {field.label}", re.I):
                    for word in re.findall(r"(?:Bijvoorbeeld|bv\.)\s+([A-Z][\w'-]+)", text):
                        examples.append((label, word))
    return examples


def test_every_postcode_and_place_example_in_a_form_resolves():
    examples = _examples_in_forms()
    assert ("VacancySearchForm.waar", "Utrecht") in examples
    assert ("StudentForm.postcode", "3511 AB") in examples
    for label, example in examples:
        assert point_for(example) is not None, f"{label}: voorbeeld '{example}' is onbekend"


def test_every_postcode_example_anywhere_in_the_source_resolves():
    skip = ("tests", "migrations", "locale", "static")
    seen = set()
    for path in SRC.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or set(path.parts) & set(skip):
            continue
        for example in POSTCODE.findall(path.read_text(encoding="utf-8")):
            seen.add(example)
            assert point_for(example) is not None, f"{path}: {example}"
    assert "3511 AB" in seen


def test_importer_validates_and_changes_nothing_on_error(tmp_path):
    bad = tmp_path / "pc4.csv"
    bad.write_text(
        "postcode;woonplaats;provincie;lat;lon\n"
        "3511;Utrecht;Utrecht;52,09;5,12\n"
        "351;Utrecht;UT;52.09;5.12\n"
        "3512;Utrecht;Gelre;52.09;5.12\n"
        "3513;;UT;5.12;52.09\n"
        "3511;Utrecht;UT;52.09;5.12\n",
        encoding="utf-8",
    )
    with pytest.raises(Pc4FileError) as error:
        parse_pc4_file(bad.read_text())
    text = "\n".join(error.value.errors)
    assert "Regel 3" in text and "viercijferige" in text
    assert "Regel 4" in text and "Gelre" in text
    assert "Regel 5" in text and "plaats ontbreekt" in text and "niet in Nederland" in text
    assert "Regel 6" in text and "regel 2" in text
    before = list(PostcodeArea.objects.order_by("pc4").values_list())
    with pytest.raises(CommandError):
        call_command("load_postcode_areas", str(bad), stderr=_Sink())
    assert list(PostcodeArea.objects.order_by("pc4").values_list()) == before

    missing = tmp_path / "kolom.csv"
    missing.write_text("pc4,plaats\n3511,Utrecht\n", encoding="utf-8")
    with pytest.raises(Pc4FileError, match="provincie"):
        parse_pc4_file(missing.read_text())


def test_importer_loads_an_official_file(tmp_path):
    good = tmp_path / "pc4.csv"
    good.write_text(
        "pc4;woonplaats;provincie;latitude;longitude\n"
        "3511;Utrecht;Utrecht;52,0929;5,1126\n"
        "6511;Nijmegen;Gelderland;51.8447;5.8625\n",
        encoding="utf-8",
    )
    call_command("load_postcode_areas", str(good), stdout=_Sink())
    assert PostcodeArea.objects.get(pc4="3511").latitude == pytest.approx(52.0929)
    assert PostcodeArea.objects.count() > 4000  # without --replace nothing else goes
    call_command("load_postcode_areas", str(good), "--replace", stdout=_Sink())
    assert PostcodeArea.objects.count() == 2
    call_command("load_postcode_areas", stdout=_Sink())  # back to the built-in table
    assert PostcodeArea.objects.count() == len(builtin_rows())


class _Sink:
    def write(self, *_args: object) -> None:
        pass

    def flush(self) -> None:
        pass
