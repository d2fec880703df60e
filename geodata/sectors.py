"""The sector vocabulary: ids, display order, colours and English labels, defined once.

The four Alps4EU key sectors come first. Colours are from the Okabe–Ito palette, extended with Paul Tol's
colour-blind-safe tones for the remaining sectors, so neighbouring sectors stay distinguishable for readers
with a colour-vision deficiency.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    id: str
    label: str
    colour: str
    symbol: str
    key_sector: bool


SECTORS: tuple[Sector, ...] = (
    Sector("energy_greentech", "Energy & Green Tech", "#009E73", "▲", True),
    Sector("mechatronics_engineering", "Mechatronics & Engineering", "#0072B2", "■", True),
    Sector("chemistry_materials", "Chemistry & New Materials", "#D55E00", "◆", True),
    Sector("ict", "ICT", "#E69F00", "●", True),
    Sector("life_sciences", "Life Sciences & Health", "#CC79A7", "✚", False),
    Sector("mobility_automotive", "Mobility & Automotive", "#56B4E9", "▼", False),
    Sector("agrifood", "Agrifood", "#999933", "♣", False),
    Sector("construction_wood", "Construction & Wood", "#882255", "▬", False),
    Sector("textiles_creative", "Textiles & Creative Industries", "#F0E442", "★", False),
    Sector("aerospace", "Aerospace", "#332288", "✈", False),
    Sector("tourism_services", "Tourism & Services", "#44AA99", "◐", False),
    Sector("other", "Other", "#888888", "○", False),
)

SECTOR_IDS: tuple[str, ...] = tuple(s.id for s in SECTORS)
KEY_SECTOR_IDS: tuple[str, ...] = tuple(s.id for s in SECTORS if s.key_sector)
SECTOR_BY_ID: dict[str, Sector] = {s.id: s for s in SECTORS}
SECTOR_COLOURS: dict[str, str] = {s.id: s.colour for s in SECTORS}

ORG_TYPES: tuple[str, ...] = ("cluster_organisation", "agency", "technology_park", "network_platform")
STATUSES: tuple[str, ...] = ("active", "historic")

#: Judgement calls of the register's facts, applied alike to every row: a theme decides the main sector.
THEME_SECTORS: dict[str, str] = {
    "photonics": "mechatronics_engineering",
    "microtechnology": "mechatronics_engineering",
    "maritime": "mobility_automotive",
}
