"""An independent reference implementation of the quota rules (RULES.md R-FIX … R-PRORATA),
in pure Python with decimal.Decimal: what an analyst would write without `cit`.

It shares no code with cit-core: it exists to check it. `generate.py` uses it to compute
the expected output of the generated vectors, and the benchmarks use it as the baseline.
Labels are the Italian ones the Rust core prints, rebuilt here from their definition.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from decimal import ROUND_HALF_UP, Decimal

# Wide enough that every product and sum of the rules is exact (28 digits, the default,
# would round silently, which is the very thing cit-core refuses to do).
decimal.getcontext().prec = 200

CENT = Decimal("0.01")
MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
          "settembre", "ottobre", "novembre", "dicembre"]
KIND_LABEL = {"unione": "Unione di Comuni", "comunita_montana": "Comunità Montana",
              "provincia": "Provincia", "citta_metropolitana": "Città Metropolitana",
              "altro": "altro ente"}


class QuoteError(Exception):
    """A refusal, with the code and path cit-core gives."""

    def __init__(self, code: str, path: str):
        super().__init__(f"{code} at {path}")
        self.code = code
        self.path = path


def rnd(x: Decimal) -> Decimal:
    """R-ROUND: to the cent, half away from zero (ROUND_HALF_UP is away from zero)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def div_round(n: Decimal, d: int) -> Decimal:
    """n / d to the cent, half away from zero, exactly (integer arithmetic on cents)."""
    q, r = divmod(abs(n) * 100, d)  # both non-negative: floor division
    cents = q + (1 if 2 * r >= d else 0)
    return (-cents if n < 0 else cents) * CENT


def group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def it_decimal(d: Decimal, min_dp: int) -> str:
    d = d.normalize() if d != 0 else Decimal(0)
    sign, digits, exp = d.as_tuple()
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    if len(frac) < min_dp:
        frac = frac + "0" * (min_dp - len(frac))
    out = ("-" if sign and d != 0 else "") + group(int(whole))
    return out + ("," + frac if frac else "")


def rate(d: Decimal) -> str:
    return "€ " + it_decimal(d, 2)


def percent(d: Decimal) -> str:
    return it_decimal(d * 100, 0) + "%"


def money(d: Decimal) -> str:
    sign = "-" if d < 0 else ""
    return f"{sign}€ {it_decimal(abs(d), 2)}"


def plain(d: Decimal) -> str:
    return f"{d.quantize(CENT):f}"


def counts_date(tariff: dict, year: int) -> str:
    c = tariff["counts_as_of"]
    return f"{year - 1:04d}-12-31" if c == "previous_year_end" else c


def band_range(i: int, lower: int, up_to) -> str:
    """Band `i`'s range in words; `lower` is the previous band's bound (0 for the first)."""
    if up_to is not None and i == 0:
        return f"fino a {group(up_to)} abitanti"
    if up_to is not None:
        return f"da {group(lower + 1)} a {group(up_to)} abitanti"
    if i == 0:
        return "unica"
    return f"oltre {group(lower)} abitanti"


def slices(bands: list, ab: int):
    """(band index, abitanti in it) for the bands `ab` reaches."""
    lower = 0
    for i, b in enumerate(bands):
        up = b["up_to"]
        upper = ab if up is None else min(up, ab)
        yield i, max(upper - lower, 0)
        if up is None or up >= ab:
            return
        lower = up


def volume_band(bands: list, ab: int):
    lower = 0
    for i, b in enumerate(bands):
        if b["up_to"] is None or ab <= b["up_to"]:
            return i, lower
        lower = b["up_to"]
    raise AssertionError("the last band is open")


def comune_lines(c: dict, ab: int, imp: int) -> list:
    pa, pi = Decimal(c["per_abitante"]), Decimal(c["per_impresa"])
    lines = [("R-CAP", f"{group(ab)} abitanti × {rate(pa)}", rnd(ab * pa))]
    if pi != 0:
        lines.append(("R-CAP", f"{group(imp)} imprese × {rate(pi)}", rnd(imp * pi)))
    total = sum((l[2] for l in lines), Decimal(0))
    bands = c.get("bands")
    if bands:
        base = ab * pa + imp * pi
        ds = [Decimal(b["discount"]) for b in bands]
        if c["band_mode"] == "volume":
            i, lower = volume_band(bands, ab)
            disc = rnd(base * ds[i])
            label = f"Sconto del {percent(ds[i])} per la fascia {band_range(i, lower, bands[i]['up_to'])}"
        elif ab == 0:
            disc = rnd(base * ds[0])
            label = f"Sconto del {percent(ds[0])} (prima fascia)"
        else:
            parts = list(slices(bands, ab))
            weighted = sum((s * ds[i] for i, s in parts), Decimal(0))
            # base × weighted / ab, rounded once from the exact fraction
            disc = div_round(base * weighted, ab)
            label = "Sconto per scaglioni: " + ", ".join(
                f"{group(s)} ab. al {percent(ds[i])}" for i, s in parts if s > 0)
        if disc != 0:
            lines.append(("R-BAND", label, -disc))
            total -= disc
    if c.get("minimum") is not None and total < Decimal(c["minimum"]):
        m = Decimal(c["minimum"])
        lines.append(("R-MINMAX", f"Integrazione alla quota minima di {money(m)}", m - total))
        total = m
    if c.get("maximum") is not None and total > Decimal(c["maximum"]):
        m = Decimal(c["maximum"])
        lines.append(("R-MINMAX", f"Riduzione alla quota massima di {money(m)}", m - total))
        total = m
    k = c.get("ceiling")
    if k is not None:
        kab, kimp = Decimal(k["per_abitante"]), Decimal(k["per_impresa"])
        cap = rnd(ab * kab) + rnd(imp * kimp)
        if total > cap:
            formula = f"{group(ab)} abitanti × {rate(kab)}"
            if kimp != 0:
                formula += f" + {group(imp)} imprese × {rate(kimp)}"
            lines.append(("R-CEIL", f"Riduzione al tetto di {money(cap)} ({formula})", cap - total))
    return lines


def quote(tariff: dict, ente: dict, year: int, start: str | None = None) -> dict:
    """The quote JSON document (README, "The ente and quote documents"), or QuoteError."""
    p = tariff["period"]
    if not (int(p["from"][:4]) <= year <= int(p["to"][:4])):
        raise QuoteError("year_outside_period", "year")
    m = tariff["membership"]
    kind = ente["kind"]
    if kind != "comune":
        amount = m["fixed"].get(kind)
        if amount is None:
            raise QuoteError("kind_not_priced", f"membership.fixed.{kind}")
        lines = [("R-FIX", f"Quota fissa {KIND_LABEL[kind]}", Decimal(amount))]
    else:
        if ente.get("counts_as_of") is not None and ente["counts_as_of"] != counts_date(tariff, year):
            raise QuoteError("counts_date_mismatch", "counts_as_of")
        c = m["comune"]
        if ente.get("abitanti") is None:
            raise QuoteError("missing_count", "abitanti")
        needs_imp = Decimal(c["per_impresa"]) != 0 or (
            c.get("ceiling") is not None and Decimal(c["ceiling"]["per_impresa"]) != 0)
        imp = ente.get("imprese")
        if imp is None:
            if needs_imp:
                raise QuoteError("missing_count", "imprese")
            imp = 0
        lines = comune_lines(c, ente["abitanti"], imp)
    total = sum((l[2] for l in lines), Decimal(0))
    if start is not None:
        s = _dt.date.fromisoformat(start)
        if s.year > year:
            raise QuoteError("invalid_value", "start")
        if s.year == year and s.month > 1 and m.get("proration", "full_year") == "monthly":
            months = 13 - s.month
            prorated = div_round(total * months, 12)
            lines.append(("R-PRORATA", f"Adesione da {MONTHS[s.month - 1]} {year}: {months}/12 dell'anno",
                          prorated - total))
            total = prorated
    return {
        "ente": ente["id"], "tariff": tariff["id"], "year": year,
        "lines": [{"rule": r, "label": l, "amount": plain(a)} for r, l, a in lines],
        "total": plain(total),
    }
