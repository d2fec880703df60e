"""Register statistics as Markdown, for the README's data section (``python -m geodata stats``).

The README quotes this output verbatim and a test compares the two, so its numbers cannot drift from the data.
"""

from __future__ import annotations

import pandas as pd

from geodata.sectors import SECTORS
from geodata.settings import COUNTRIES


def _markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _freshness(joined: pd.DataFrame) -> str:
    """Website coverage, check dates and weak cities: what a reader needs to judge how current the register is."""
    active = joined[joined["status"] == "active"]
    with_site = int((active["website"].fillna("") != "").sum())
    checked = int(((active["website"].fillna("") != "") & (active["website_evidence"].fillna("") != "")).sum())
    dates = joined["last_verified"].fillna("").astype(str)
    return (f"Websites: {with_site} of {len(active)} active organisations ({with_site / len(active):.0%}); "
            f"{checked} of them checked against a page of that site that names the organisation. Facts last checked between {dates.min()} and {dates.max()}; "
            f"{int((joined['city_confidence'] == 'weak').sum())} cities rest on indirect evidence (low confidence).")


def register_summary(joined: pd.DataFrame, unplaced: pd.DataFrame) -> str:
    """Counts per sector and country, by status, by kind and by programme area; then the unplaced list."""
    table = pd.crosstab(joined["sector"], joined["country"]).reindex(
        index=[s.id for s in SECTORS], columns=list(COUNTRIES), fill_value=0)
    rows = [[sector.label, *table.loc[sector.id].tolist(), int(table.loc[sector.id].sum())] for sector in SECTORS]
    rows.append(["**All sectors**", *table.sum().tolist(), int(table.to_numpy().sum())])
    parts = [
        f"{len(joined)} organisations placed and joined to NUTS 3 "
        f"({int((joined['status'] == 'active').sum())} active, {int((joined['status'] == 'historic').sum())} "
        f"closed or merged); {int(joined['in_area_2007_2013'].sum())} lie in the 2007–2013 programme area and "
        f"{int(joined['in_area_2021_2027'].sum())} in the 2021–2027 one.",
        "",
        _markdown_table(["Sector", *COUNTRIES, "Total"], rows),
        "",
        "By kind: " + ", ".join(f"{kind.replace('_', ' ')} {count}"
                                for kind, count in joined["org_type"].value_counts().items()) + ".",
        "",
        _freshness(joined),
        "",
        f"Known but unplaced ({len(unplaced)}: no source names the town they are run from, so the atlas does "
        "not guess one):",
        "",
    ]
    for country, group in unplaced.sort_values(["country", "name"]).groupby("country", sort=True):
        historic = group.get("status", pd.Series("", index=group.index)) == "historic"
        names = "; ".join((group["name"] + historic.map({True: " (closed or merged)", False: ""})).tolist())
        parts.append(f"- **{country}** ({len(group)}): {names}")
    return "\n".join(parts) + "\n"
