"""The kommune picker's options: every region with the words a person may type for it (the
number, the official and the everyday name, folded and unfolded: "karasjok", "Kárášjohka" and
"5610" all find the same kommune)."""

from __future__ import annotations

from functools import lru_cache

from dashboard.data.regions import picker_regions
from dashboard.text.i18n import t
from data_sources import fold


@lru_cache(maxsize=3)
def picker_options(lang: str) -> list[dict[str, str]]:
    """All regions for the picker: Norway, the 15 fylker, the 357 kommuner."""
    opts: list[dict[str, str]] = []
    for r in picker_regions():
        if r.level == "norge":
            label = t("region.norway", lang)
            words = "0 norge noreg norway hele heile landet"
        elif r.level == "fylke":
            label = f"{r.name_official} ({t('region.fylke', lang)}, {r.code})"
            words = f"{r.code} {r.name_official} {fold(r.name_official)} fylke"
        else:
            label = f"{r.name_official} ({r.code})"
            words = f"{r.code} {r.name_official} {fold(r.name_official)} {r.name} {fold(r.name)}"
            words += f" {r.fylke_name} {fold(r.fylke_name or '')}"
        opts.append({"label": label, "value": r.code, "search": words})
    return opts
