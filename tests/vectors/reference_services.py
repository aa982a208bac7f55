"""An independent reference implementation of service pricing (R-TIER, R-PRICE,
R-MEMBERS-ONLY, R-ENTITLE), of the capofila's share of a quota (R-PAYER) and of the
balances after one billing run (R-LEDGER), in pure Python with decimal.Decimal.

Like reference_quota.py it shares no code with cit-core: `generate_services.py` uses it to
compute the expected outputs of the service_price and ledger vectors. Labels are the
Italian ones the core prints, rebuilt from their definition.
"""

from __future__ import annotations

from decimal import Decimal

from reference_quota import QuoteError, counts_date, group, it_decimal, money, percent, plain, rate, rnd

ZERO = Decimal(0)


def band_of(ups: list, ab: int) -> int:
    """The index of the band `ab` falls in (inclusive upper bounds, the last one open)."""
    for i, up in enumerate(ups):
        if up is None or ab <= up:
            return i
    return len(ups) - 1


def band_label(ups: list, i: int) -> str:
    lower = ups[i - 1] if i > 0 else None
    up = ups[i]
    if i == 0 and up is not None:
        return f"fino a {group(up)} abitanti"
    if lower is not None and up is not None:
        return f"da {group(lower + 1)} a {group(up)} abitanti"
    if lower is not None:
        return f"oltre {group(lower)} abitanti"
    return "unica"


def abitanti(ente: dict) -> int:
    """The count a price reads (R-CAP, as for the quota): at the tariff's date for the year
    priced (`_wanted`, set by price_service) and present."""
    if ente.get("counts_as_of") is not None and ente["counts_as_of"] != ente.get("_wanted"):
        raise QuoteError("counts_date_mismatch", "counts_as_of")
    if ente.get("abitanti") is None:
        raise QuoteError("missing_count", "abitanti")
    return ente["abitanti"]


def ente_band(ups: list, ente: dict) -> int:
    """A single open band needs no count."""
    return 0 if len(ups) <= 1 else band_of(ups, abitanti(ente))


def price_lines(price: dict, ente: dict, quantity: int) -> list:
    """R-PRICE: the lines of a price, as (rule, label, amount)."""
    basis = price["basis"]
    if basis == "flat":
        return [("R-PRICE", "Importo forfettario", Decimal(price["amount"]))]
    if basis == "per_unit":
        a = Decimal(price["amount"])
        return [("R-PRICE", f"{group(quantity)} {price['unit']} × {money(a)}", rnd(quantity * a))]
    if basis == "per_abitante":
        ab = abitanti(ente)
        r = Decimal(price["rate"])
        amount = rnd(ab * r)
        lines = [("R-PRICE", f"{group(ab)} abitanti × {rate(r)}", amount)]
        lo, hi = price.get("minimum"), price.get("maximum")
        if lo is not None and amount < Decimal(lo):
            lines.append(("R-PRICE", f"Integrazione all'importo minimo di {money(Decimal(lo))}", Decimal(lo) - amount))
        elif hi is not None and amount > Decimal(hi):
            lines.append(("R-PRICE", f"Riduzione all'importo massimo di {money(Decimal(hi))}", Decimal(hi) - amount))
        return lines
    assert basis == "by_band", basis
    ups = [b["up_to"] for b in price["bands"]]
    i = ente_band(ups, ente)
    return [("R-PRICE", f"Importo per la fascia {band_label(ups, i)}", Decimal(price["bands"][i]["amount"]))]


def allowance_line(a: dict, ente: dict, quantity: int, member: bool) -> list:
    """R-ENTITLE: members get the units of their band free; non-members none."""
    if member:
        ups = [b["up_to"] for b in a["bands"]]
        included = Decimal(a["bands"][ente_band(ups, ente)]["included"])
        label = f"{a['what']} oltre la franchigia di {it_decimal(included, 0)} {a['unit']}"
    else:
        included = ZERO
        label = f"{a['what']} (nessuna franchigia per i non aderenti)"
    beyond = quantity - included
    if beyond <= 0:
        return []
    b = Decimal(a["beyond"])
    return [("R-ENTITLE", f"{label}: {it_decimal(beyond, 0)} {a['unit']} × {money(b)}", rnd(beyond * b))]


def price_service(tariff: dict, ente: dict, code: str, quantity: int, standing: dict, date: str) -> dict:
    """The service quote JSON (service, date, price, reason, quote), or QuoteError."""
    service = next((s for s in tariff.get("services", []) if s["code"] == code), None)
    if service is None:
        raise QuoteError("unknown_service", "service")
    if not (tariff["period"]["from"] <= date <= tariff["period"]["to"]):
        raise QuoteError("year_outside_period", "year")
    member = standing["standing"] == "member"
    ente = dict(ente, _wanted=counts_date(tariff, int(date[:4])))
    if service.get("members_only") and not member:
        raise QuoteError("not_a_member", "ente")
    if service["list_price"]["basis"] != "per_unit" and service.get("allowance") is None and quantity != 1:
        raise QuoteError("invalid_value", "quantity")
    if not member:
        lines = price_lines(service["list_price"], ente, quantity)
        applied = "list"
    elif service["tier"] == "base":
        lines = price_lines(service["list_price"], ente, quantity)
        listed = sum((l[2] for l in lines), ZERO)
        if listed != 0:
            lines.append(("R-TIER", "Servizio base compreso nella quota di adesione", -listed))
        applied = "included"
    else:
        if service.get("member_price") is not None:
            lines = [(r, f"{l} (prezzo aderenti)", a)
                     for r, l, a in price_lines(service["member_price"], ente, quantity)]
        else:
            lines = price_lines(service["list_price"], ente, quantity)
            d = Decimal(service.get("member_discount", "0"))
            if d != 0:
                listed = sum((l[2] for l in lines), ZERO)
                lines.append(("R-TIER", f"Sconto aderenti del {percent(d)}", -rnd(listed * d)))
        applied = "member"
    if service.get("allowance") is not None:
        lines += allowance_line(service["allowance"], ente, quantity, member)
    if member:
        what = "servizio base compreso nella quota" if applied == "included" else "prezzo aderenti"
        reason = (f"aderente al {date} (adesione {standing['membership']}, dal {standing['from']} "
                  f"al {standing['to']}): {what} (R-JOIN)")
    else:
        reason = f"nessuna adesione attiva al {date}: prezzo di listino (R-JOIN)"
    return {
        "service": code, "date": date, "price": applied, "reason": reason,
        "quote": {"ente": ente["id"], "tariff": tariff["id"], "year": int(date[:4]),
                  "lines": [{"rule": r, "label": l, "amount": plain(a)} for r, l, a in lines],
                  "total": plain(sum((l[2] for l in lines), ZERO))},
    }


def split(total: Decimal, weights: list) -> list:
    """Largest remainder (Hamilton) in whole cents; ties to the earlier part."""
    cents = int(total * 100)
    scale = max(-Decimal(w).as_tuple().exponent for w in weights)
    ints = [int(Decimal(w).scaleb(scale)) for w in weights]
    s = sum(ints)
    parts = [cents * w // s for w in ints]
    rems = [cents * w % s for w in ints]
    for k in sorted(range(len(ints)), key=lambda k: (-rems[k], k))[: cents - sum(parts)]:
        parts[k] += 1
    return [Decimal(p) / 100 for p in parts]


def quota_shares(ente: str, total: Decimal, agreement: dict | None) -> list:
    """R-PAYER: what the capofila pays of a member's quota, and the member the rest; zero
    shares left out, but always one share."""
    if agreement is None:
        return [(ente, total)]
    share = agreement["share"]
    if share["kind"] == "all":
        capofila = total
    elif share["kind"] == "percent":
        p = Decimal(share["percent"])
        capofila = split(total, [p, 100 - p])[0]
    else:
        capofila = min(Decimal(share["amount"]), total)
    shares = [(agreement["capofila"], capofila)] if capofila != 0 else []
    if total - capofila != 0 or not shares:
        shares.append((ente, total - capofila))
    return shares


def balances(enti: list, charges: list, payments: list, due: str, at: str) -> list:
    """Per ente (by id), after one billing run and payments allocated oldest first with no
    named charge: every share has the same due date, so what an ente owes is its charged
    total less what it paid, and anything beyond is credit."""
    out = []
    for e in sorted(enti):
        charged = sum((Decimal(s["amount"]) for c in charges for s in c["shares"] if s["payer"] == e), ZERO)
        paid = sum((p for payer, p in payments if payer == e), ZERO)
        outstanding = max(charged - paid, ZERO)
        out.append({"ente": e, "at": at, "charged": plain(charged), "paid": plain(paid),
                    "outstanding": plain(outstanding), "credit": plain(max(paid - charged, ZERO)),
                    "overdue": plain(outstanding if due < at else ZERO)})
    return out
