"""The five locale catalogues and the locale helpers: same keys and placeholders everywhere, language
negotiation by q-value, number formats, and the texts handed to Dash, AG Grid and Plotly."""

from __future__ import annotations

import json
import string

import pytest
from dash import dcc

from dashboard.components import PLOTLY_TEXTS, dropdown_labels, graph_config, grid_locale_text
from babel import Locale

from dashboard.i18n import (LANGUAGES, LOCALES_DIR, PLURAL_CATEGORIES, Translator, country_name, format_number,
                            format_percent, load_catalogue, negotiate, percent_suffix, plotly_separators, supported,
                            translate)

OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]


def read_pairs(code: str) -> list[tuple[str, object]]:
    """The key-value pairs of a locale file in file order, duplicates included."""
    text = (LOCALES_DIR / f"{code}.json").read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=lambda pairs: pairs)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_loc001_one_file_per_language_and_no_other():
    assert sorted(path.stem for path in LOCALES_DIR.glob("*.json")) == sorted(LANGUAGES)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc002_files_hold_unique_keys_and_texts(code):
    pairs = read_pairs(code)
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys in {code}.json: " + \
        ", ".join(sorted({key for key in keys if keys.count(key) > 1}))
    assert all(isinstance(value, str) for _, value in pairs), f"non-text values in {code}.json"
    english = load_catalogue("en")
    empty = [key for key, value in pairs if not value.strip() and english.get(key, "").strip()]
    assert not empty, f"empty values in {code}.json where English has a text: {empty}"


def messages(code: str) -> dict[str, set[str]]:
    """Each text of a catalogue with the plural forms it spells out (an empty set: not a plural text)."""
    found: dict[str, set[str]] = {}
    catalogue = load_catalogue(code)
    for key in catalogue:
        base, _, category = key.rpartition(".")
        if category in PLURAL_CATEGORIES and {f"{base}.one", f"{base}.other"} <= catalogue.keys():
            found.setdefault(base, set()).add(category)
        else:
            found.setdefault(key, set())
    return found


def needed_plural_forms(code: str) -> set[str]:
    """The CLDR categories a language's texts must spell out; "many" (a million and up in French and Italian)
    may fall back to "other"."""
    return (set(Locale.parse(code).plural_form.tags) | {"other"}) - {"many"}


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_loc003_every_language_has_exactly_the_english_keys(code):
    english, other = messages("en"), messages(code)
    assert not english.keys() - other.keys(), f"{code}.json lacks {sorted(english.keys() - other.keys())}"
    assert not other.keys() - english.keys(), \
        f"{code}.json has keys English does not: {sorted(other.keys() - english.keys())}"
    mismatched = sorted(key for key, forms in other.items() if bool(forms) != bool(english[key]))
    assert not mismatched, f"plural in one catalogue, plain in the other: {mismatched}"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc003b_plural_texts_spell_out_the_languages_cldr_forms(code):
    forms = {frozenset(found) for found in messages(code).values() if found}
    assert forms == {frozenset(needed_plural_forms(code))}, forms


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_loc004_placeholders_match_english(code):
    english, other = load_catalogue("en"), load_catalogue(code)
    english_key = {key: key if key in english else key.rpartition(".")[0] + ".other" for key in other}
    differing = {key: (sorted(placeholders(english[english_key[key]])), sorted(placeholders(text)))
                 for key, text in other.items()
                 if placeholders(english[english_key[key]]) != placeholders(text)}
    assert not differing, f"{code}.json placeholders differ from English (en, {code}): {differing}"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc005_every_text_formats_with_its_placeholders(code):
    for key, text in load_catalogue(code).items():
        filled = translate(key, code, **{name: "1" for name in placeholders(text)})
        assert "{" not in filled and "}" not in filled, f"{code}: {key} = {filled!r}"


@pytest.mark.parametrize(("header", "expected"), [
    ("fr-CH,fr;q=0.9,en;q=0.8", "fr"),
    ("es,de;q=0.5", "de"),
    ("", "en"),
    (None, "en"),
    ("de;q=0.2,it;q=0.8", "it"),
    ("sl-SI", "sl"),
    ("DE-at", "de"),
    ("en;q=0,de;q=0.1", "de"),
    ("it;q=x,fr;q=0.3", "fr"),
    ("es,pt;q=0.9", "en"),
    ("*", "en"),
])
def test_loc006_negotiate_picks_the_best_supported_language(header, expected):
    assert negotiate(header) == expected


@pytest.mark.parametrize(("asked", "expected"),
                         [("fr", "fr"), ("IT", "it"), ("de-CH", "de"), ("xx", "en"), (None, "en")])
def test_loc007_supported_falls_back_to_english(asked, expected):
    assert supported(asked) == expected


@pytest.mark.parametrize(("code", "whole", "area", "decimal", "percent", "separators"), [
    ("en", "10,000", "1,744", "1,234.6", "25.5%", ".,"),
    ("de", "10.000", "1.744", "1.234,6", "25,5\u00a0%", ",."),
    ("fr", "10\u202f000", "1\u202f744", "1\u202f234,6", "25,5\u00a0%", ",\u202f"),
    ("it", "10.000", "1.744", "1.234,6", "25,5%", ",."),
    ("sl", "10.000", "1.744", "1.234,6", "25,5\u00a0%", ",."),
])
def test_loc008_numbers_and_percentages_in_each_language(code, whole, area, decimal, percent, separators):
    assert format_number(10000, code) == whole
    assert Translator(code).number(1743.5) == area
    assert format_number(1234.56, code, 1) == decimal
    assert format_percent(0.255, code, 1) == percent == Translator(code).percent(0.255, 1)
    assert plotly_separators(code) == separators
    assert percent.endswith(percent_suffix(code)) and percent_suffix(code).endswith("%")


#: What a reader expects for 1, 2, 3 and 5 organisations in each language (CLDR plural forms).
PLURAL_TEXTS = {
    "en": ("1 organisation in view", "2 organisations in view", "3 organisations in view", "5 organisations in view"),
    "de": ("1 Organisation angezeigt", "2 Organisationen angezeigt", "3 Organisationen angezeigt",
           "5 Organisationen angezeigt"),
    "fr": ("1 organisation affichée", "2 organisations affichées", "3 organisations affichées",
           "5 organisations affichées"),
    "it": ("1 organizzazione visualizzata", "2 organizzazioni visualizzate", "3 organizzazioni visualizzate",
           "5 organizzazioni visualizzate"),
    "sl": ("1 prikazana organizacija", "2 prikazani organizaciji", "3 prikazane organizacije",
           "5 prikazanih organizacij"),
}


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc013_plurals_for_one_two_three_and_five(code):
    _ = Translator(code)
    assert tuple(_.plural("summary.clusters", n) for n in (1, 2, 3, 5)) == PLURAL_TEXTS[code]


def test_loc014_german_region_card_heading_is_singular_for_one():
    _ = Translator("de")
    assert _.plural("card.region.by_sector", 1) == "1 angezeigte Organisation, nach Branche"
    assert _.plural("card.region.by_sector", 2) == "2 angezeigte Organisationen, nach Branche"
    assert _.plural("summary.regions", 1, level="NUTS 2") == "1 Region mit Clustern, Ebene: NUTS 2"
    assert Translator("sl").plural("summary.regions", 102, level="NUTS 2") == "102 regiji z grozdi; raven: NUTS 2"
    assert Translator("en").plural("summary.clusters", 1234) == "1,234 organisations in view"


@pytest.mark.parametrize(("code", "expected"), [("en", "Switzerland"), ("de", "Schweiz"), ("fr", "Suisse"),
                                                ("it", "Svizzera"), ("sl", "Švica")])
def test_loc015_country_names_in_the_pages_language(code, expected):
    assert country_name("CH", code) == expected
    assert "/" not in country_name("CH", code)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc009_missing_numbers_are_empty(code):
    assert format_number(float("nan"), code) == "" and format_number(None, code) == ""
    assert format_percent(float("nan"), code) == "" and format_percent(None, code) == ""


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc010_dropdown_labels_cover_dash_dropdown(code):
    labels = dropdown_labels(Translator(code))
    assert set(labels) == set(dcc.Dropdown.Labels.__annotations__)
    assert "{num_selected}" in labels["selected_count"], "Dash fills in the count itself"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_loc011_grid_and_chart_toolbar_texts_are_translated(code):
    english, other = grid_locale_text(Translator("en")), grid_locale_text(Translator(code))
    assert set(english) == set(other) and {"page", "of", "to", "firstPage", "filterOoo"} <= set(english)
    assert sum(english[key] != other[key] for key in english) >= len(english) - 4, "barely translated"
    config = graph_config(Translator(code), "chart")
    assert config["locale"] == code
    dictionary = config["locales"][code]["dictionary"]
    assert set(dictionary) == set(PLOTLY_TEXTS)
    assert dictionary["Download plot as a PNG"] == translate("plotly.download_png", code) != "Download plot as a PNG"


@pytest.fixture(scope="module")
def client():
    from dashboard.factory import create_app

    return create_app().server.test_client()


@pytest.mark.parametrize(("url", "accept_language", "expected"), [
    ("/?lang=fr", "de", "fr"),
    ("/about?lang=sl", None, "sl"),
    ("/", "it-CH,it;q=0.9,en;q=0.5", "it"),
    ("/", None, "en"),
])
def test_loc012_page_names_its_language_before_any_script(client, url, accept_language, expected):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert f'<html lang="{expected}">' in response.get_data(as_text=True)


#: The map's hover for a region's cluster count, for 1, 2, 3 and 5 clusters.
HOVER_CLUSTER_TEXTS = {
    "en": ("1 cluster", "2 clusters", "3 clusters", "5 clusters"),
    "de": ("1 Cluster", "2 Cluster", "3 Cluster", "5 Cluster"),
    "fr": ("1 cluster", "2 clusters", "3 clusters", "5 clusters"),
    "it": ("1 cluster", "2 cluster", "3 cluster", "5 cluster"),
    "sl": ("1 grozd", "2 grozda", "3 grozdi", "5 grozdov"),
}


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_loc901_map_hover_counts_use_plural_forms(code):
    _ = Translator(code)
    assert tuple(_.plural("map.hover.clusters", n) for n in (1, 2, 3, 5)) == HOVER_CLUSTER_TEXTS[code]
