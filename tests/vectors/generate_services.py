#!/usr/bin/env python3
"""Writes service_price.json and ledger.json: the shared test vectors of service pricing
(R-TIER, R-PRICE, R-MEMBERS-ONLY, R-ENTITLE) and of the payer split and balances after a
journal of events (R-PAYER, R-RUN, R-LEDGER).

    python3 tests/vectors/generate_services.py          # rewrite both files
    python3 tests/vectors/generate_services.py --check  # fail if either is not what it writes

Hand-written cases carry their arithmetic in `why`. A hand-written service price also
carries the total worked out by hand, which the independent reference
(reference_services.py) must reproduce before the case is written; a hand-written journal
carries its whole expected output, written by hand (the reference models one billing run
with payments, not corrections). Generated cases come from a seeded generator (SEED) with
the reference's outputs.
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from vector_file import write  # noqa: E402
import reference_quota as rq  # noqa: E402
import reference_services as ref  # noqa: E402

SEED = 20261124
SERVICE_COUNT = 45
LEDGER_COUNT = 30

BS21 = "bs-2021-services.json"


def load(tariff):
    return json.loads((HERE / "tariffs" / tariff).read_text()) if isinstance(tariff, str) else tariff


def comune(ab, imp=0, id="017001", name="Acquafredda"):
    e = {"id": id, "name": name, "kind": "comune", "imprese": imp}
    if ab is not None:
        e["abitanti"] = ab
    return e


MEMBER = {"standing": "member", "membership": "A-1", "from": "2021-01-25", "to": "2025-12-31"}
NON_MEMBER = {"standing": "non_member"}

# A small catalogue for the bases bs-2021 lacks: a flat premium with an explicit member
# price, and an amount per population band (three bands, and a single open one).
CATALOGUE = {
    "id": "svc-2024", "name": "Catalogo di prova", "period": {"from": "2024-01-01", "to": "2024-12-31"},
    "counts_as_of": "previous_year_end",
    "membership": {"comune": {"per_abitante": "0.15", "per_impresa": "0"},
                   "fixed": {"unione": "300.00"}},
    "services": [
        {"code": "sito", "name": "Sito istituzionale", "tier": "premium", "billing": "canone",
         "list_price": {"basis": "flat", "amount": "500.00"},
         "member_price": {"basis": "flat", "amount": "400.00"}},
        {"code": "hosting", "name": "Hosting", "tier": "premium", "billing": "canone",
         "list_price": {"basis": "by_band", "bands": [{"up_to": 5000, "amount": "100.00"},
                                                      {"up_to": 20000, "amount": "250.00"},
                                                      {"up_to": None, "amount": "600.00"}]},
         "member_discount": "0.125"},
        {"code": "albo", "name": "Albo pretorio", "tier": "base", "billing": "canone",
         "list_price": {"basis": "by_band", "bands": [{"up_to": None, "amount": "80.00"}]}},
    ],
}
M24 = {"standing": "member", "membership": "M-9", "from": "2024-01-01", "to": "2024-12-31"}

SERVICE_HAND = [
    # name, tariff, ente, service, quantity, standing, date, total by hand (or error code), why
    ("R-TIER spid, member price per person", BS21, comune(1600, 120), "spid", 3, MEMBER, "2022-03-01",
     "105.00", "explicit member price: 3 persone × € 35,00 = 105,00"),
    ("R-TIER spid, list price for a non-member", BS21, comune(1600, 120), "spid", 3, NON_MEMBER, "2022-03-01",
     "135.00", "list price: 3 persone × € 45,00 = 135,00"),
    ("R-PRICE spid, no person requested", BS21, comune(1600, 120), "spid", 0, MEMBER, "2022-03-01",
     "0.00", "0 persone × € 35,00 = 0,00"),
    ("R-ENTITLE conservazione, member of the first band over its 0,5 GB", BS21, comune(1600), "conservazione", 3,
     MEMBER, "2022-03-01", "100.00",
     "base service: list 300,00 − 300,00 included; 1.600 ab. ≤ 3.000 → 0,5 GB free; 3 − 0,5 = 2,5 GB × € 40,00 = 100,00"),
    ("R-ENTITLE conservazione, band edge 3.000 is inclusive", BS21, comune(3000), "conservazione", 1, MEMBER,
     "2022-03-01", "20.00", "3.000 ab. is still the first band (0,5 GB): 1 − 0,5 = 0,5 GB × € 40,00 = 20,00"),
    ("R-ENTITLE conservazione, 3.001 abitanti get 1 GB", BS21, comune(3001), "conservazione", 1, MEMBER,
     "2022-03-01", "0.00", "3.001 ab. → second band, 1 GB free: 1 − 1 = 0, no line; 300,00 − 300,00 = 0,00"),
    ("R-ENTITLE conservazione, last open band", BS21, comune(250000), "conservazione", 5, MEMBER, "2022-03-01",
     "120.00", "over 10.000 ab. → 2 GB free: 5 − 2 = 3 GB × € 40,00 = 120,00"),
    ("R-ENTITLE conservazione, no allowance for a non-member", BS21, comune(1600), "conservazione", 3, NON_MEMBER,
     "2022-03-01", "420.00", "list 300,00 + every unit beyond zero: 3 GB × € 40,00 = 120,00; 420,00"),
    ("R-ENTITLE telemaco, one look-up over 170", BS21, comune(2000), "telemaco", 171, MEMBER, "2022-03-01",
     "0.50", "2.000 ab. ≤ 3.000 → 170 visure free: 1 × € 0,50 = 0,50"),
    ("R-ENTITLE telemaco, exactly the allowance", BS21, comune(2000), "telemaco", 170, MEMBER, "2022-03-01",
     "0.00", "170 − 170 = 0: nothing beyond"),
    ("R-TIER pec, member discount 20 %", BS21, comune(1600), "pec", 4, MEMBER, "2022-03-01", "80.00",
     "4 caselle × € 25,00 = 100,00; −20 % = −20,00; 80,00"),
    ("R-TIER protocollo, discount of 54,0125 rounds down", BS21, comune(4321), "protocollo", 1, MEMBER,
     "2022-03-01", "162.04", "4.321 × 0,05 = 216,05; −25 % = −54,0125 → −54,01; 162,04"),
    ("R-TIER protocollo, discount of 54,025 rounds half away from zero", BS21, comune(4322), "protocollo", 1,
     MEMBER, "2022-03-01", "162.07", "4.322 × 0,05 = 216,10; −25 % = −54,025 → −54,03; 162,07"),
    ("R-PRICE protocollo, minimum then discount", BS21, comune(1000), "protocollo", 1, MEMBER, "2022-03-01",
     "112.50", "1.000 × 0,05 = 50,00 < minimum 150,00: +100,00; −25 % of 150,00 = −37,50; 112,50"),
    ("R-PRICE protocollo, maximum then discount", BS21, comune(100000), "protocollo", 1, MEMBER, "2022-03-01",
     "2250.00", "100.000 × 0,05 = 5.000,00 > maximum 3.000,00: −2.000,00; −25 % = −750,00; 2.250,00"),
    ("R-PRICE protocollo, one abitante over the maximum", BS21, comune(60001), "protocollo", 1, MEMBER,
     "2022-03-01", "2250.00", "60.001 × 0,05 = 3.000,05 > 3.000,00: −0,05; −750,00; 2.250,00"),
    ("R-PRICE protocollo, exactly the maximum", BS21, comune(60000), "protocollo", 1, MEMBER, "2022-03-01",
     "2250.00", "60.000 × 0,05 = 3.000,00, not above the maximum: no line; −750,00; 2.250,00"),
    ("R-MEMBERS-ONLY protocollo refused to a non-member", BS21, comune(4321), "protocollo", 1, NON_MEMBER,
     "2022-03-01", "not_a_member", "members_only: a non-member cannot buy it (path ente)"),
    ("unknown service code", BS21, comune(1600), "nope", 1, MEMBER, "2022-03-01", "unknown_service",
     "no service `nope` in the catalogue (path service)"),
    ("date after the tariff period", BS21, comune(1600), "spid", 1, MEMBER, "2026-01-01", "year_outside_period",
     "bs-2021 runs 2021-01-01 … 2025-12-31 (path year)"),
    ("date on the last day of the period", BS21, comune(1600), "spid", 1, MEMBER, "2025-12-31", "35.00",
     "2025-12-31 is inside the period: 1 × € 35,00"),
    ("R-CAP per abitante service with counts at another date", BS21, dict(comune(1600), counts_as_of="2020-12-31"),
     "protocollo", 1, MEMBER, "2022-03-01", "counts_date_mismatch",
     "bs-2021 takes the counts at 31.12 of the year before (2021-12-31), as for the quota (path counts_as_of)"),
    ("R-CAP per abitante service with counts at the tariff's date", BS21, dict(comune(1600), counts_as_of="2021-12-31"),
     "protocollo", 1, MEMBER, "2022-03-01", "112.50",
     "counts at 2021-12-31, the date bs-2021 takes them for 2022: 1.600 × 0,05 = 80,00, minimum 150,00, −25 % = 112,50"),
    ("R-CAP by band with counts at another date", CATALOGUE, dict(comune(12000), counts_as_of="2019-12-31"), "hosting",
     1, NON_MEMBER, "2024-06-01", "counts_date_mismatch", "the band depends on the count, checked as for the quota"),
    ("R-CAP a flat price reads no count and checks none", CATALOGUE, dict(comune(1600), counts_as_of="2019-12-31"),
     "sito", 1, NON_MEMBER, "2024-06-01", "500.00", "flat list price 500,00: the counts' date does not matter"),
    ("per abitante service without abitanti", BS21, comune(None), "protocollo", 1, MEMBER, "2022-03-01",
     "missing_count", "a rate per abitante needs the count (path abitanti)"),
    ("R-PRICE flat service, explicit member price", CATALOGUE, comune(1600), "sito", 1, M24, "2024-06-01",
     "400.00", "flat member price 400,00 instead of the list 500,00"),
    ("R-PRICE flat service, list price", CATALOGUE, comune(1600), "sito", 1, NON_MEMBER, "2024-06-01", "500.00",
     "flat list price 500,00"),
    ("R-PRICE flat service takes no quantity", CATALOGUE, comune(1600), "sito", 2, M24, "2024-06-01",
     "invalid_value", "a flat price without allowance is for quantity 1 (path quantity)"),
    ("R-PRICE by band, last abitante of the first band", CATALOGUE, comune(5000), "hosting", 1, NON_MEMBER,
     "2024-06-01", "100.00", "5.000 ≤ 5.000: first band, 100,00"),
    ("R-PRICE by band, first abitante of the second band", CATALOGUE, comune(5001), "hosting", 1, NON_MEMBER,
     "2024-06-01", "250.00", "5.001: second band 'da 5.001 a 20.000 abitanti', 250,00"),
    ("R-PRICE by band, open band with member discount 12,5 %", CATALOGUE, comune(20001), "hosting", 1, M24,
     "2024-06-01", "525.00", "20.001: 'oltre 20.000 abitanti', 600,00; −12,5 % = −75,00; 525,00"),
    ("R-PRICE by band, second band with member discount", CATALOGUE, comune(12000), "hosting", 1, M24,
     "2024-06-01", "218.75", "250,00 − 12,5 % (31,25) = 218,75"),
    ("R-PRICE by band needs abitanti", CATALOGUE, comune(None), "hosting", 1, M24, "2024-06-01",
     "missing_count", "three bands: the band depends on abitanti (path abitanti)"),
    ("R-TIER base by band, a single open band needs no count", CATALOGUE, comune(None), "albo", 1, M24,
     "2024-06-01", "0.00", "one open band ('fascia unica') 80,00, included in the quota: −80,00; 0,00"),
    ("R-TIER base by band, list price for a non-member", CATALOGUE, comune(None), "albo", 1, NON_MEMBER,
     "2024-06-01", "80.00", "non-member pays the single band's 80,00"),
]


def service_expected(tariff, ente, code, quantity, standing, date):
    try:
        return {"expected": ref.price_service(load(tariff), ente, code, quantity, standing, date)}
    except rq.QuoteError as e:
        return {"expected_error": {"code": e.code, "path": e.path}}


def service_case(name, tariff, ente, code, quantity, standing, date, why=None):
    c = {"name": name}
    if why:
        c["why"] = why
    c.update({"tariff": tariff, "ente": ente, "service": code, "quantity": quantity, "standing": standing,
              "date": date})
    c.update(service_expected(tariff, ente, code, quantity, standing, date))
    return c


def service_hand_cases():
    out = []
    for name, tariff, ente, code, quantity, standing, date, by_hand, why in SERVICE_HAND:
        c = service_case(name, tariff, ente, code, quantity, standing, date, why)
        got = c["expected"]["quote"]["total"] if "expected" in c else c["expected_error"]["code"]
        if got != by_hand:
            sys.exit(f"hand case {name!r}: the reference gives {got}, the hand arithmetic {by_hand}")
        out.append(c)
    return out


def money(rng, max_cents):
    return f"{Decimal(rng.randint(0, max_cents)) / 100:.2f}"


def random_price(rng, allow_unit=True):
    basis = rng.choice(["flat", "per_unit", "per_abitante", "by_band"] if allow_unit else
                       ["flat", "per_abitante", "by_band"])
    if basis == "flat":
        return {"basis": "flat", "amount": money(rng, 500_000)}
    if basis == "per_unit":
        return {"basis": "per_unit", "amount": money(rng, 20_000), "unit": rng.choice(["kit", "caselle", "persone"])}
    if basis == "per_abitante":
        p = {"basis": "per_abitante", "rate": str(Decimal(rng.randint(0, 5000)).scaleb(-rng.randint(2, 4)))}
        if rng.random() < 0.5:
            p["minimum"] = money(rng, 30_000)
        if rng.random() < 0.5:
            p["maximum"] = f"{Decimal(p.get('minimum', '0')) + Decimal(rng.randint(0, 1_000_000)) / 100:.2f}"
        return p
    edges = sorted(rng.sample(range(1, 100_000), rng.randint(0, 3)))
    return {"basis": "by_band",
            "bands": [{"up_to": e, "amount": money(rng, 200_000)} for e in edges] +
                     [{"up_to": None, "amount": money(rng, 200_000)}]}


def random_service(rng):
    tier = rng.choice(["base", "premium"])
    s = {"code": "srv", "name": "Servizio generato", "tier": tier, "billing": rng.choice(["una_tantum", "canone"]),
         "list_price": random_price(rng)}
    if tier == "premium":
        r = rng.random()
        if r < 0.4:
            s["member_price"] = random_price(rng) if s["list_price"]["basis"] != "per_unit" else \
                {"basis": "per_unit", "amount": money(rng, 20_000), "unit": s["list_price"]["unit"]}
        elif r < 0.8:
            s["member_discount"] = str(Decimal(rng.randint(0, 1000)) / 1000)
        s["members_only"] = rng.random() < 0.2
    unit_priced = "per_unit" in (s["list_price"]["basis"], s.get("member_price", {}).get("basis"))
    if rng.random() < 0.35 and not unit_priced:  # an allowance would price the units twice
        edges = sorted(rng.sample(range(1, 50_000), rng.randint(0, 3)))
        s["allowance"] = {"what": "Spazio", "unit": "GB",
                          "bands": [{"up_to": e, "included": str(Decimal(rng.randint(0, 40)) / 2)} for e in edges] +
                                   [{"up_to": None, "included": str(Decimal(rng.randint(0, 40)) / 2)}],
                          "beyond": money(rng, 10_000)}
    return s


def service_generated_cases():
    rng = random.Random(SEED)
    out = []
    for i in range(SERVICE_COUNT):
        s = random_service(rng)
        t = {"id": f"svc-gen-{i}", "name": f"Generated {i}", "period": {"from": "2024-01-01", "to": "2025-12-31"},
             "counts_as_of": "previous_year_end",
             "membership": {"comune": {"per_abitante": "0.10", "per_impresa": "0"}, "fixed": {}}, "services": [s]}
        ab = rng.choice([rng.randint(0, 5000), rng.randint(0, 300_000), None if rng.random() < 0.1 else 12_345])
        ente = comune(ab, id=f"{rng.randint(1, 110999):06d}", name="Comune")
        per_unit = s["list_price"]["basis"] == "per_unit" or "allowance" in s
        quantity = rng.randint(0, 40) if per_unit else (1 if rng.random() < 0.9 else rng.randint(2, 5))
        date = f"{rng.choices([2024, 2025, 2026], [5, 5, 1])[0]}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        standing = {"standing": "member", "membership": f"G-{i}", "from": "2024-01-01", "to": "2025-12-31"} \
            if rng.random() < 0.6 else NON_MEMBER
        out.append(service_case(f"generated {i}", t, ente, "srv", quantity, standing, date))
    return out


# --- ledger ---------------------------------------------------------------------------

# The membership part of bs-2021 (0,15/ab., 1,00/impresa, volume bands, monthly proration).
LEDGER_TARIFF = {k: v for k, v in load(BS21).items() if k != "services"}


def tariff_adopted():
    return {"type": "tariff_adopted", "tariff": LEDGER_TARIFF}


def registered(id, ab=None, imp=0, kind="comune", name=None):
    e = {"id": id, "name": name or f"Ente {id}", "kind": kind}
    if kind == "comune":
        e.update({"abitanti": ab, "imprese": imp})
    return {"type": "ente_registered", "ente": e}


def joined(membership, ente, signed, to="2025-12-31"):
    return [
        {"type": "membership_requested", "membership": membership, "ente": ente, "date": "2020-11-02"},
        {"type": "membership_approved", "membership": membership,
         "delibera": {"number": f"{membership}/2020", "date": "2020-11-20", "organ": "Consiglio comunale"}},
        {"type": "convention_signed", "membership": membership, "date": signed, "to": to},
    ]


def run(year=2021):
    return {"type": "billing_run", "year": year, "issued": f"{year}-03-01", "due": f"{year}-04-30"}


def pay(payment, payer, date, amount, charge=None):
    p = {"type": "payment_received", "payment": payment, "payer": payer, "date": date, "amount": amount}
    if charge:
        p["charge"] = charge
    return p


def agreed(members, share, capofila="U-1", from_year=2021):
    return {"type": "payer_agreed", "capofila": capofila, "members": members, "share": share, "from_year": from_year}


def charge(ente, amount, shares=None, year=2021, kind="quota", id=None):
    return {"id": id or f"Q{year}-{ente}", "ente": ente, "kind": kind, "year": year, "amount": amount,
            "shares": [{"payer": p, "amount": a} for p, a in (shares or [(ente, amount)])]}


def balance(ente, at, charged, paid="0.00", outstanding="0.00", credit="0.00", overdue="0.00"):
    return {"ente": ente, "at": at, "charged": charged, "paid": paid, "outstanding": outstanding,
            "credit": credit, "overdue": overdue}


A = "017001"  # 1.600 abitanti, 120 imprese: 1.600 × 0,15 + 120 × 1,00 = 360,00
BASE = [tariff_adopted(), registered(A, 1600, 120)]
UNIONE = registered("U-1", kind="unione", name="Unione dei Comuni della Valle")
B = "017002"  # 3.001 abitanti: 450,15 − 10 % (45,015 → 45,02) = 405,13

LEDGER_HAND = [
    # name, events, at, expected charges, expected balances (or an error dict), why
    ("R-RUN quota charged, overpayment becomes credit",
     BASE + joined("A-1", A, "2021-01-25") + [run(), pay("P-1", A, "2021-04-01", "400.00")], "2021-05-01",
     [charge(A, "360.00")], [balance(A, "2021-05-01", "360.00", "400.00", "0.00", "40.00")],
     "1.600 × 0,15 = 240,00 + 120 × 1,00 = 120,00 → 360,00 (signed in January: no proration); "
     "paid 400,00 → credit 40,00"),
    ("R-PRORATA quota of a membership signed in July",
     BASE + joined("A-1", A, "2021-07-10") + [run()], "2021-03-02",
     [charge(A, "180.00")], [balance(A, "2021-03-02", "180.00", "0.00", "180.00")],
     "membership from 2021-07-10 (monthly proration): 360,00 × 6/12 (luglio … dicembre) = 180,00"),
    ("R-LEDGER unpaid quota is overdue the day after the due date",
     BASE + joined("A-1", A, "2021-01-25") + [run()], "2021-05-01",
     [charge(A, "360.00")], [balance(A, "2021-05-01", "360.00", "0.00", "360.00", "0.00", "360.00")],
     "due 2021-04-30 < 2021-05-01: the whole 360,00 is overdue"),
    ("R-LEDGER not overdue on the due date itself",
     BASE + joined("A-1", A, "2021-01-25") + [run()], "2021-04-30",
     [charge(A, "360.00")], [balance(A, "2021-04-30", "360.00", "0.00", "360.00")],
     "due 2021-04-30 is not before 2021-04-30: outstanding 360,00, overdue 0,00"),
    ("R-LEDGER partial payment",
     BASE + joined("A-1", A, "2021-01-25") + [run(), pay("P-1", A, "2021-04-10", "100.00")], "2021-06-01",
     [charge(A, "360.00")], [balance(A, "2021-06-01", "360.00", "100.00", "260.00", "0.00", "260.00")],
     "360,00 − 100,00 = 260,00 outstanding, all past due"),
    ("R-LEDGER credit before the charge pays it",
     BASE + joined("A-1", A, "2021-01-25") + [pay("P-1", A, "2021-02-01", "100.00"), run()], "2021-03-02",
     [charge(A, "360.00")], [balance(A, "2021-03-02", "360.00", "100.00", "260.00")],
     "100,00 received before the run is credit, used on the new charge: 260,00 left, credit 0,00"),
    ("R-RUN running the same year twice adds nothing",
     BASE + joined("A-1", A, "2021-01-25") + [run(), {**run(), "issued": "2021-03-15"}], "2021-03-20",
     [charge(A, "360.00")], [balance(A, "2021-03-20", "360.00", "0.00", "360.00")],
     "the second run finds Q2021-017001 already issued: one charge"),
    ("R-PAYER capofila pays 33,33 %: largest remainder",
     BASE + [UNIONE] + joined("A-1", A, "2021-01-25") + [agreed([A], {"kind": "percent", "percent": "33.33"}),
                                                         run()], "2021-03-02",
     [charge(A, "360.00", [("U-1", "119.99"), (A, "240.01")])],
     [balance(A, "2021-03-02", "240.01", "0.00", "240.01"), balance("U-1", "2021-03-02", "119.99", "0.00", "119.99")],
     "36.000 cents × 33,33 % = 11.998,8 → 11.998 (remainder ,8); × 66,67 % = 24.001,2 → 24.001 (,2); "
     "the cent left goes to the larger remainder: 119,99 and 240,01"),
    ("R-PAYER 50 % of an odd number of cents: the tie goes to the capofila",
     [tariff_adopted(), registered(B, 3001, 0), UNIONE] + joined("B-1", B, "2021-01-25") +
     [agreed([B], {"kind": "percent", "percent": "50"}), run()], "2021-03-02",
     [charge(B, "405.13", [("U-1", "202.57"), (B, "202.56")])],
     [balance(B, "2021-03-02", "202.56", "0.00", "202.56"), balance("U-1", "2021-03-02", "202.57", "0.00", "202.57")],
     "3.001 × 0,15 = 450,15; −10 % = −45,015 → −45,02; 405,13 = 40.513 cents; halves 20.256,5 each, "
     "equal remainders: the first part (the capofila) gets the cent"),
    ("R-PAYER capofila pays the whole quota",
     BASE + [UNIONE] + joined("A-1", A, "2021-01-25") + [agreed([A], {"kind": "all"}), run()], "2021-03-02",
     [charge(A, "360.00", [("U-1", "360.00")])],
     [balance(A, "2021-03-02", "0.00"), balance("U-1", "2021-03-02", "360.00", "0.00", "360.00")],
     "kind all: one share, the Unione's; the member's zero share is left out"),
    ("R-PAYER fixed amount above the quota is capped",
     BASE + [UNIONE] + joined("A-1", A, "2021-01-25") + [agreed([A], {"kind": "fixed", "amount": "500.00"}), run()],
     "2021-03-02", [charge(A, "360.00", [("U-1", "360.00")])],
     [balance(A, "2021-03-02", "0.00"), balance("U-1", "2021-03-02", "360.00", "0.00", "360.00")],
     "fixed 500,00 > quota 360,00: the capofila pays 360,00, the member nothing"),
    ("R-PAYER fixed amount below the quota",
     BASE + [UNIONE] + joined("A-1", A, "2021-01-25") + [agreed([A], {"kind": "fixed", "amount": "100.00"}), run(),
                                                         pay("P-U", "U-1", "2021-04-01", "100.00")],
     "2021-05-01", [charge(A, "360.00", [("U-1", "100.00"), (A, "260.00")])],
     [balance(A, "2021-05-01", "260.00", "0.00", "260.00", "0.00", "260.00"),
      balance("U-1", "2021-05-01", "100.00", "100.00")],
     "capofila 100,00 (paid), member 360,00 − 100,00 = 260,00 (overdue after 2021-04-30)"),
    ("R-PAYER an agreement from a later year does not apply",
     BASE + [UNIONE] + joined("A-1", A, "2021-01-25") + [agreed([A], {"kind": "all"}, from_year=2022), run()],
     "2021-03-02", [charge(A, "360.00")],
     [balance(A, "2021-03-02", "360.00", "0.00", "360.00"), balance("U-1", "2021-03-02", "0.00")],
     "from_year 2022 > 2021: the member pays its 2021 quota itself"),
    ("R-FIX an Unione's own quota",
     [tariff_adopted(), UNIONE] + joined("U-M", "U-1", "2021-01-25") + [run()], "2021-03-02",
     [charge("U-1", "300.00")], [balance("U-1", "2021-03-02", "300.00", "0.00", "300.00")],
     "fixed quota of an Unione in bs-2021: 300,00"),
    ("R-LEDGER a reversed charge leaves nothing owed",
     BASE + joined("A-1", A, "2021-01-25") + [run(), {"type": "charge_reversed", "charge": "Q2021-017001",
                                                      "date": "2021-03-10", "reason": "abitanti errati"}],
     "2021-05-01", [charge(A, "360.00"), charge(A, "-360.00", kind="storno", id="R-Q2021-017001")],
     [balance(A, "2021-05-01", "0.00")],
     "the reversal is a new charge R-Q2021-017001 (storno) of −360,00: charged 360,00 − 360,00 = 0,00"),
    ("R-LEDGER a reversed payment re-opens the quota",
     BASE + joined("A-1", A, "2021-01-25") + [run(), pay("P-1", A, "2021-04-01", "360.00"),
                                              {"type": "payment_reversed", "id": "ST-P-1", "payment": "P-1",
                                               "date": "2021-04-20", "reason": "bonifico respinto"}],
     "2021-05-01", [charge(A, "360.00")], [balance(A, "2021-05-01", "360.00", "0.00", "360.00", "0.00", "360.00")],
     "paid 360,00 − 360,00 reversed = 0,00: the quota is outstanding again, and overdue"),
    ("R-JOIN a withdrawn membership is not billed the next year",
     BASE + joined("A-1", A, "2021-01-25") + [
         {"type": "membership_withdrawn", "membership": "A-1", "date": "2021-12-31", "reason": "recesso"}, run(2022)],
     "2022-03-02", [], [balance(A, "2022-03-02", "0.00")],
     "the membership's last day is 2021-12-31: no day of 2022 is covered, no charge"),
    ("R-LEDGER payment by an unknown payer is refused",
     BASE + joined("A-1", A, "2021-01-25") + [run(), pay("P-1", "099999", "2021-04-01", "10.00")], "2021-05-01",
     None, {"code": "unknown_ente", "path": "ente", "event": 6},
     "event 6 names a payer never registered"),
    ("R-JOIN signing before approval is an illegal transition",
     BASE + [{"type": "membership_requested", "membership": "A-1", "ente": A, "date": "2020-11-02"},
             {"type": "convention_signed", "membership": "A-1", "date": "2021-01-25", "to": "2025-12-31"}],
     "2021-05-01", None, {"code": "illegal_transition", "path": "state", "event": 3},
     "requested → signed skips the delibera: event 3 refused"),
    ("R-RUN due date before the day of issue is refused",
     BASE + joined("A-1", A, "2021-01-25") + [{"type": "billing_run", "year": 2021, "issued": "2021-03-01",
                                               "due": "2021-02-28"}], "2021-05-01",
     None, {"code": "invalid_value", "path": "due", "event": 5}, "due 2021-02-28 < issued 2021-03-01"),
    ("R-PAYER the capofila must be an Unione or Comunità Montana",
     BASE + [registered("017003", 500, 10)] + joined("A-1", A, "2021-01-25") +
     [agreed([A], {"kind": "all"}, capofila="017003")], "2021-05-01",
     None, {"code": "invalid_value", "path": "capofila", "event": 6}, "a comune cannot be capofila"),
    ("R-PAYER a percentage over 100 is refused",
     BASE + [UNIONE] + joined("A-1", A, "2021-01-25") + [agreed([A], {"kind": "percent", "percent": "100.01"})],
     "2021-05-01", None, {"code": "invalid_value", "path": "share.percent", "event": 6}, "100,01 % > 100 %"),
]


def ledger_hand_cases():
    out = []
    for name, events, at, charges, balances, why in LEDGER_HAND:
        c = {"name": name, "why": why, "events": events, "at": at}
        if charges is None:
            c["expected_error"] = balances
        else:
            c["expected"] = {"charges": charges, "balances": balances}
        out.append(c)
    return out


def ledger_generated_cases():
    """One Unione, 1–5 comuni joining in 2020 or during 2021, an optional capofila agreement,
    the 2021 run and a few payments with no named charge."""
    rng = random.Random(SEED + 1)
    out = []
    for i in range(LEDGER_COUNT):
        enti = [f"{17001 + k:06d}" for k in rng.sample(range(0, 200), rng.randint(1, 5))]
        events = [tariff_adopted(), UNIONE]
        quota = {}
        for k, e in enumerate(enti):
            ab = rng.choice([rng.randint(0, 3000), rng.randint(0, 12_000), rng.randint(0, 200_000)])
            imp = rng.randint(0, ab // 8 + 1)
            events.append(registered(e, ab, imp))
            signed = rng.choice(["2020-12-15", f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
            events += joined(f"M-{k}", e, signed)
            q = rq.quote(LEDGER_TARIFF, {"id": e, "kind": "comune", "abitanti": ab, "imprese": imp}, 2021,
                         signed if signed >= "2021-01-01" else None)
            quota[e] = Decimal(q["total"])
        agreement = None
        if rng.random() < 0.7:
            members = sorted(rng.sample(enti, rng.randint(1, len(enti))))
            kind = rng.choice(["all", "percent", "percent", "fixed"])
            share = {"kind": kind}
            if kind == "percent":
                share["percent"] = str(Decimal(rng.randint(0, 10000)).scaleb(-rng.randint(0, 2)).min(Decimal(100)))
            elif kind == "fixed":
                share["amount"] = money(rng, 200_000)
            agreement = {"capofila": "U-1", "members": members, "share": share}
            events.append(agreed(members, share))
        events.append(run())
        payers = sorted(set(enti) | {"U-1"})
        payments = []
        for n in range(rng.randint(0, 4)):
            payer = rng.choice(payers)
            amount = Decimal(money(rng, 300_000))
            payments.append((payer, amount))
            events.append(pay(f"P-{n}", payer, f"2021-{rng.randint(3, 9):02d}-{rng.randint(1, 28):02d}", f"{amount:.2f}"))
        at = rng.choice(["2021-04-30", "2021-05-01", "2021-12-31"])
        charges = []
        for e in sorted(enti):
            applies = agreement is not None and e in agreement["members"]
            shares = ref.quota_shares(e, quota[e], agreement if applies else None)
            charges.append(charge(e, rq.plain(quota[e]), [(p, rq.plain(a)) for p, a in shares]))
        out.append({"name": f"generated {i}", "events": events, "at": at,
                    "expected": {"charges": charges,
                                 "balances": ref.balances(enti + ["U-1"], charges, payments, "2021-04-30", at)}})
    return out


def main():
    write("service_price.json", "service_price",
          "Service prices (R-TIER, R-PRICE, R-MEMBERS-ONLY, R-ENTITLE): input tariff (a file in tariffs/ or "
          "inline), ente, service code, quantity, standing and date; output the service quote or the error "
          "code and path.", service_hand_cases() + service_generated_cases(), "generate_services.py", SEED)
    write("ledger.json", "ledger",
          "Payer split and balances (R-PAYER, R-RUN, R-LEDGER): input a journal of registry events and a day; "
          "output every charge (id, ente, kind, year, amount, shares) and every ente's balance on that day, or "
          "the error code and path of the first refused event with its index.",
          ledger_hand_cases() + ledger_generated_cases(), "generate_services.py", SEED)


if __name__ == "__main__":
    main()
