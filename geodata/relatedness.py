"""Which sectors count as related, and why: a small table where every link names its evidence.

Two kinds of evidence, both stated with each link:

* **Alps4EU themes** (``sector_relatedness.csv``): the four pilot themes of the project's Meta-cluster Knowledge
  Atlas (e-mobility, smart factory, smart grids, smart buildings), each joining two of our sectors.
* **Co-declared in the register**: organisations that give one sector as primary and the other as secondary
  show that the two meet in practice. A pair named together by at least :data:`MIN_CO_DECLARED` organisations
  is related. This is computed from the current register, so it follows the data.

"other" is not a sector anyone can be related to. Links are symmetric.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodata.sectors import SECTOR_IDS
from geodata.settings import DATA_DIR

RELATEDNESS_CSV = DATA_DIR / "sector_relatedness.csv"
MIN_CO_DECLARED = 3
NOT_RELATABLE = ("other",)
COLUMNS = ["sector_a", "sector_b", "basis", "source", "organisations"]


def read_curated_links(path: Path = RELATEDNESS_CSV) -> pd.DataFrame:
    """The curated links, checked: known sector ids, two different sectors, a source for each."""
    links = pd.read_csv(path, dtype=str, keep_default_na=False)
    for row, link in enumerate(links.itertuples(index=False), start=2):
        for field in ("sector_a", "sector_b"):
            if getattr(link, field) not in SECTOR_IDS:
                raise ValueError(f"{path.name} row {row}: {field} {getattr(link, field)!r} is not a sector id")
        if link.sector_a == link.sector_b:
            raise ValueError(f"{path.name} row {row}: a sector cannot be related to itself ({link.sector_a!r})")
        if not link.source.strip():
            raise ValueError(f"{path.name} row {row}: source is empty")
    return links.assign(organisations=0)


def secondary_lists(values: pd.Series) -> pd.Series:
    """The ``;``-separated secondary sectors of each organisation as tuples."""
    return values.fillna("").astype(str).map(lambda text: tuple(s for s in text.split(";") if s))


def co_declared_links(clusters: pd.DataFrame, *, minimum: int = MIN_CO_DECLARED) -> pd.DataFrame:
    """Sector pairs given together (primary + secondary) by at least ``minimum`` organisations."""
    pairs = pd.DataFrame({"primary": clusters["sector"].to_numpy(),
                          "secondary": secondary_lists(clusters["secondary_sectors"]).to_numpy()})
    pairs = pairs.explode("secondary").dropna()
    pairs = pairs[(pairs["primary"] != pairs["secondary"])
                  & ~pairs["primary"].isin(NOT_RELATABLE) & ~pairs["secondary"].isin(NOT_RELATABLE)]
    low, high = _ordered(pairs["primary"], pairs["secondary"])
    counts = pd.DataFrame({"sector_a": low, "sector_b": high}).value_counts().rename("organisations").reset_index()
    counts = counts[counts["organisations"] >= minimum]
    counts["basis"] = "register"
    counts["source"] = counts["organisations"].map(
        lambda n: f"Alpine Cluster Atlas register: {n} organisations name both sectors")
    return counts[COLUMNS]


def _ordered(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each pair as (smaller id, larger id), so a link is stored once whatever its direction."""
    a, b = a.to_numpy(dtype=object), b.to_numpy(dtype=object)
    swap = a > b
    return np.where(swap, b, a), np.where(swap, a, b)


def relatedness_table(clusters: pd.DataFrame, curated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every related pair once (``sector_a < sector_b``), with all its evidence joined into ``basis``/``source``."""
    curated = read_curated_links() if curated is None else curated
    low, high = _ordered(curated["sector_a"], curated["sector_b"])
    ordered = curated.assign(sector_a=low, sector_b=high)
    links = pd.concat([ordered[COLUMNS], co_declared_links(clusters)], ignore_index=True)
    table = links.groupby(["sector_a", "sector_b"], as_index=False).agg(
        basis=("basis", lambda b: ";".join(sorted(set(b)))), source=("source", lambda s: " · ".join(s)),
        organisations=("organisations", "max"))
    return table.sort_values(["sector_a", "sector_b"], ignore_index=True)


def related_matrix(table: pd.DataFrame) -> np.ndarray:
    """Sector × sector booleans in vocabulary order (symmetric, False on the diagonal)."""
    position = {sector: i for i, sector in enumerate(SECTOR_IDS)}
    matrix = np.zeros((len(SECTOR_IDS), len(SECTOR_IDS)), dtype=bool)
    a = table["sector_a"].map(position).to_numpy(dtype=int)
    b = table["sector_b"].map(position).to_numpy(dtype=int)
    matrix[a, b] = True
    matrix[b, a] = True
    return matrix
