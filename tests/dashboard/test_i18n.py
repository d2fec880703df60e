"""Every text the code asks for exists in the English catalogue, and every placeholder can be filled.

Keys are found in the source itself: string literals passed to ``_``/``translate`` (or any literal that looks
like a catalogue key), and the key families built with f-strings, expanded from the vocabularies they range
over.
"""

from __future__ import annotations

import ast
import json
import re
import string
from functools import cache
from pathlib import Path

import pytest

from dashboard import state
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR, PLURAL_CATEGORIES, translate
from geodata.nuts import PERIODS
from geodata.sectors import ORG_TYPES, SECTOR_IDS, STATUSES
from geodata.selection import LANDSCAPES, MOUNTAIN_CHOICES
from geodata.settings import COUNTRIES

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
TRANSLATING_CALLS = {"_", "translate", "plural", "translate_plural"}


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    with (LOCALES_DIR / f"{language}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def known(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """A key is in the catalogue as itself or, for a plural text, as its ``other`` form."""
    return key in catalogue(language) or f"{key}.other" in catalogue(language)


def english_of(key: str) -> str | None:
    """The English key a translated key corresponds to; a Slovenian ``.few`` form answers to English ``.other``."""
    if key in catalogue():
        return key
    base, _, category = key.rpartition(".")
    return f"{base}.other" if category in PLURAL_CATEGORIES and f"{base}.other" in catalogue() else None


@cache
def source_trees() -> tuple[tuple[Path, ast.Module], ...]:
    paths = sorted(DASHBOARD.rglob("*.py"))
    assert paths, f"no Python files under {DASHBOARD}"
    return tuple((path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))) for path in paths)


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def literal_keys() -> dict[str, str]:
    """Literal keys in the code, each with where it was found.

    A literal passed to ``_``/``translate`` is a key by definition; any other literal shaped like a key whose
    first part is a catalogue section (``filters.search`` handed to a layout helper, say) counts too.
    """
    sections = {key.split(".")[0] for key in catalogue()}
    found: dict[str, str] = {}
    for path, tree in source_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in TRANSLATING_CALLS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, f"{path.name}:{node.lineno}")
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_PATTERN.match(node.value)
                    and node.value.split(".")[0] in sections):
                found.setdefault(node.value, f"{path.name}:{node.lineno}")
    return found


def dynamic_key_prefixes() -> dict[str, str]:
    """The fixed beginnings of keys built with f-strings (``_(f"sector.{id}")`` gives ``sector.``)."""
    found: dict[str, str] = {}
    for path, tree in source_trees():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _call_name(node) in TRANSLATING_CALLS and node.args
                    and isinstance(node.args[0], ast.JoinedStr)):
                parts = node.args[0].values
                prefix = parts[0].value if parts and isinstance(parts[0], ast.Constant) else ""
                found.setdefault(prefix, f"{path.name}:{node.lineno}")
    return found


def page_names() -> list[str]:
    """``name=`` of every ``dash.register_page`` call: the navigation shows ``nav.<name>``."""
    names = []
    for path, tree in source_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) == "register_page":
                names += [keyword.value.value for keyword in node.keywords
                          if keyword.arg == "name" and isinstance(keyword.value, ast.Constant)]
    assert names, "no dash.register_page(name=...) found"
    return names


def key_families() -> dict[str, list[str]]:
    """Every key of each f-string family, from the vocabulary the family ranges over."""
    return {
        "sector.": [f"sector.{sector}" for sector in SECTOR_IDS],
        "country.": [f"country.{country}" for country in COUNTRIES],
        "metric.": [f"metric.{metric}{suffix}" for metric in state.METRICS for suffix in ("", ".short", ".unit")],
        "level.": [f"level.{level}" for level in state.LEVELS],
        "period.": [f"period.{period}" for period in PERIODS],
        "landscape.": [f"landscape.{landscape}" for landscape in LANDSCAPES],
        "mountain.": [f"mountain.{choice}" for choice in MOUNTAIN_CHOICES],
        "mountain_type.": [f"mountain_type.{code}" for code in range(5)],
        "org_type.": [f"org_type.{org_type}" for org_type in ORG_TYPES],
        "org_kind.": [f"org_kind.{org_type}" for org_type in ORG_TYPES],
        "status.": [f"status.{status}" for status in STATUSES],
        "nav.": [f"nav.{name}" for name in page_names()],
    }


def test_the_scan_finds_keys():
    keys = literal_keys()
    assert len(keys) > 50
    assert "app.title" in keys
    assert "sector." in dynamic_key_prefixes()


def test_every_literal_key_exists():
    missing = {key: where for key, where in literal_keys().items() if not known(key)}
    assert not missing, f"keys used in the code but missing from en.json: {missing}"


@pytest.mark.parametrize("family", sorted(key_families()))
def test_every_key_of_a_family_exists(family):
    missing = [key for key in key_families()[family] if not known(key)]
    assert not missing, f"missing from en.json: {missing}"


def test_every_dynamic_key_belongs_to_a_known_or_present_family():
    """A family without a vocabulary here must at least have keys in the catalogue."""
    families = key_families()
    for prefix, where in dynamic_key_prefixes().items():
        assert prefix.endswith("."), f"{where}: a key built from a bare variable cannot be checked ({prefix!r})"
        if prefix not in families:
            assert any(key.startswith(prefix) for key in catalogue()), f"{where}: no key starts with {prefix!r}"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_english_placeholders_are_named_and_fill():
    problems = {}
    for key, text in catalogue().items():
        try:
            names = placeholders(text)
            if not all(name.isidentifier() for name in names):
                problems[key] = f"positional or odd placeholder in {text!r}"
                continue
            translate(key, **{name: 1 for name in names})
        except (ValueError, KeyError, IndexError) as error:
            problems[key] = f"{error!r} in {text!r}"
    assert not problems, problems


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE}))
def test_other_languages_use_only_english_placeholders(language):
    """A translation asking for a value the code does not pass would raise KeyError at run time."""
    path = LOCALES_DIR / f"{language}.json"
    if not path.exists():
        pytest.skip(f"no catalogue for {language}")
    english = catalogue()
    unknown = {key: sorted(placeholders(text) - placeholders(english[english_of(key)]))
               for key, text in catalogue(language).items() if english_of(key)}
    unknown = {key: names for key, names in unknown.items() if names}
    assert not unknown, f"{language}: placeholders English does not have: {unknown}"
    strays = sorted(key for key in catalogue(language) if english_of(key) is None)
    assert not strays, f"{language}: keys English does not have: {strays}"
