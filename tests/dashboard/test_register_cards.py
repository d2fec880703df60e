"""The organisation card's register rows (website, evidence, last check, low confidence) and the correction link."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import cards, views
from dashboard.config import CONFIG
from dashboard.state import ViewState


def texts(component) -> list[str]:
    """Every string in a Dash component tree, depth first."""
    if component is None:
        return []
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [text for child in component for text in texts(child)]
    return texts(getattr(component, "children", None))


def links(component) -> list:
    found = []
    if isinstance(component, (list, tuple)):
        return [link for child in component for link in links(child)]
    if getattr(component, "href", None):
        found.append(component)
    children = getattr(component, "children", None)
    return found + (links(children) if children is not None and not isinstance(children, str) else [])


@pytest.mark.parametrize(("language", "label", "date_text"), [("en", "Last checked", "November 27, 2026"),
                                                              ("de", "Zuletzt geprüft", "27. November 2026"),
                                                              ("sl", "Nazadnje preverjeno", "27. november 2026")])
def test_crd001_card_shows_website_evidence_and_last_check(language: str, label: str, date_text: str, register) -> None:
    details = views.cluster_details(register, ViewState(cluster="fr-eurobiomed"))
    card = cards.cluster_card(details, language)
    shown = texts(card)
    assert label in shown and date_text in shown
    assert details["source_url"] in [link.href for link in links(card)]
    assert "Montpellier (" in " ".join(shown)


def test_crd002_weak_city_is_flagged_on_the_card(register) -> None:
    card = cards.cluster_card(views.cluster_details(register, ViewState(cluster="fr-polymeris")), "en")
    assert "Low confidence:" in texts(card)


def test_crd003_successor_is_named_by_its_name(register) -> None:
    details = views.cluster_details(register, ViewState(cluster="at-okoenergie-cluster-oberosterreich"))
    card = cards.cluster_card(details, "en")
    assert "Cleantech-Cluster Oberösterreich" in texts(card)


def test_crd004_mailto_link_is_prefilled_with_id_and_view() -> None:
    config = replace(CONFIG, corrections_url="", corrections_email="atlas@example.org",
                     public_url="https://atlas.example.org")
    href = cards.correction_href("organisation", "fr-eurobiomed",
                                 ViewState(cluster="fr-eurobiomed", lang="fr"), config)
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "atlas@example.org"
    fields = parse_qs(parts.query)
    assert fields["subject"] == ["Correction: organisation fr-eurobiomed (view ?cluster=fr-eurobiomed&lang=fr)"]
    assert "View: https://atlas.example.org/?cluster=fr-eurobiomed&lang=fr" in fields["body"][0]


def test_crd005_no_address_configured_means_no_link(register) -> None:
    config = replace(CONFIG, corrections_url="", corrections_email="")
    assert cards.correction_href("organisation", "fr-eurobiomed", ViewState(cluster="fr-eurobiomed"), config) is None
    card = cards.cluster_card(views.cluster_details(register, ViewState(cluster="fr-eurobiomed")), "en", ViewState())
    assert "Suggest a correction" not in texts(card)
