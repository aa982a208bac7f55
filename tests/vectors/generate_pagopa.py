#!/usr/bin/env python3
"""Writes pagopa.json: the shared test vectors of pagoPA's notices and of the
reconciliation of a flusso di rendicontazione (R-NOTICE, R-RECONCILE).

    python3 tests/vectors/generate_pagopa.py          # rewrite pagopa.json
    python3 tests/vectors/generate_pagopa.py --check  # fail if pagopa.json is not what it writes

A case is a journal (`events`: a tariff, enti with their codice fiscale, memberships, the
billing run, the creditor's profile, the notices issued …), a list of flows (`flows`:
FlussoRiversamento XML texts; each is reconciled, then its report's events applied, in
order), the notices' `year` and a day `at`. Expected: `notices` (each notice of the year
after everything: charge, payer, notice_number, iuv, amount, status), `reports` (one per
flow: accepted; matched, mismatched, unknown and already_recorded as their lines'
position, iuv and payment — and the notice's amount, `expected`, for a mismatch —;
the problems' paths; the events, in full) and `balances` (every ente on `at`); or
`expected_error`: code, path and the index of the refused `event` or `flow`.

Hand-written cases (HAND) carry their whole expected output, written by hand, with the
arithmetic in `why`; the generator also runs the independent reference
(reference_pagopa.py) on each and refuses to write one it does not reproduce (all but the
flow that cannot be read: the reference does not parse XML). Generated cases come from a
seeded generator (SEED, COUNT) with the reference's outputs.
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
import reference_pagopa as ref  # noqa: E402

SEED = 20261126
COUNT = 24
YEAR = 2021
NS = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"

# The membership part of bs-2021: 0,15/ab., 1,00/impresa, volume bands, € 300,00 for an
# Unione or another body, monthly proration.
TARIFF = {k: v for k, v in json.loads((HERE / "tariffs" / "bs-2021-services.json").read_text()).items()
          if k != "services"}

CREDITOR_CF = "80008750178"  # Provincia di Brescia
CREDITOR = {"codice_fiscale": CREDITOR_CF, "name": "Provincia di Brescia", "segregation_code": "07",
            "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/"}


# --- journal events ------------------------------------------------------------------


def tariff_adopted():
    return {"type": "tariff_adopted", "tariff": TARIFF}


def ente(id, name, kind, cf=None, ab=None, imp=None):
    e = {"id": id, "name": name, "kind": kind}
    if kind == "comune":
        e.update({"abitanti": ab, "imprese": imp})
    if cf is not None:
        e["codice_fiscale"] = cf
    return {"type": "ente_registered", "ente": e}


def joined(membership, ente_id, signed):
    return [
        {"type": "membership_requested", "membership": membership, "ente": ente_id, "date": "2020-11-02"},
        {"type": "membership_approved", "membership": membership,
         "delibera": {"number": f"{membership}/2020", "date": "2020-11-20", "organ": "Consiglio"}},
        {"type": "convention_signed", "membership": membership, "date": signed, "to": "2025-12-31"},
    ]


def billing_run():
    return {"type": "billing_run", "year": YEAR, "issued": "2021-03-01", "due": "2021-04-30"}


def creditor(c=CREDITOR):
    return {"type": "creditor_registered", "creditor": c}


def notices_issued(date="2021-03-02"):
    return {"type": "notices_issued", "year": YEAR, "date": date}


def agreed(capofila, members, share):
    return {"type": "payer_agreed", "capofila": capofila, "members": members, "share": share, "from_year": YEAR}


def paid(payment, payer, date, amount, charge=None):
    p = {"type": "payment_received", "payment": payment, "payer": payer, "date": date, "amount": amount}
    if charge is not None:
        p["charge"] = charge
    return p


# --- flows ---------------------------------------------------------------------------


def flow(id, payments, receiver=CREDITOR_CF, count=None, total=None, day="2021-03-15"):
    """A flow as a dict (what the reference reads): payments are (iuv, iur, amount,
    outcome, date[, index]); count and total add up unless given."""
    lines = [{"iuv": p[0], "iur": p[1], "amount": p[2], "outcome": p[3], "date": p[4],
              "index": p[5] if len(p) > 5 else 1} for p in payments]
    return {"id": id, "date_time": f"{day}T10:00:00", "regulation": f"Bonifico SEPA-03069-{id[-7:]}",
            "regulation_date": day, "sender": "BCITITMM", "receiver": receiver,
            "count": len(lines) if count is None else count,
            "total": ref.plain(sum((Decimal(l["amount"]) for l in lines), Decimal(0))) if total is None else total,
            "payments": lines}


def flow_xml(f):
    """The FlussoRiversamento document of a flow dict."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<FlussoRiversamento xmlns="{NS}">',
           "  <versioneOggetto>1.0</versioneOggetto>",
           f"  <identificativoFlusso>{f['id']}</identificativoFlusso>",
           f"  <dataOraFlusso>{f['date_time']}</dataOraFlusso>",
           f"  <identificativoUnivocoRegolamento>{f['regulation']}</identificativoUnivocoRegolamento>",
           f"  <dataRegolamento>{f['regulation_date']}</dataRegolamento>",
           "  <istitutoMittente>",
           "    <identificativoUnivocoMittente>",
           "      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>",
           f"      <codiceIdentificativoUnivoco>{f['sender']}</codiceIdentificativoUnivoco>",
           "    </identificativoUnivocoMittente>",
           "    <denominazioneMittente>Intesa Sanpaolo</denominazioneMittente>",
           "  </istitutoMittente>",
           "  <istitutoRicevente>",
           "    <identificativoUnivocoRicevente>",
           "      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>",
           f"      <codiceIdentificativoUnivoco>{f['receiver']}</codiceIdentificativoUnivoco>",
           "    </identificativoUnivocoRicevente>",
           "  </istitutoRicevente>",
           f"  <numeroTotalePagamenti>{f['count']}</numeroTotalePagamenti>",
           f"  <importoTotalePagamenti>{f['total']}</importoTotalePagamenti>"]
    for p in f["payments"]:
        out += ["  <datiSingoliPagamenti>",
                f"    <identificativoUnivocoVersamento>{p['iuv']}</identificativoUnivocoVersamento>",
                f"    <identificativoUnivocoRiscossione>{p['iur']}</identificativoUnivocoRiscossione>",
                f"    <indiceDatiSingoloPagamento>{p['index']}</indiceDatiSingoloPagamento>",
                f"    <singoloImportoPagato>{p['amount']}</singoloImportoPagato>",
                f"    <codiceEsitoSingoloPagamento>{p['outcome']}</codiceEsitoSingoloPagamento>",
                f"    <dataEsitoSingoloPagamento>{p['date']}</dataEsitoSingoloPagamento>",
                "  </datiSingoliPagamenti>"]
    out.append("</FlussoRiversamento>")
    return "\n".join(out) + "\n"


# --- hand-written cases --------------------------------------------------------------

A = "017001"  # Acquafredda: 1.600 × 0,15 + 120 × 1,00 = 240,00 + 120,00 = 360,00
U = "U1"      # Unione della Franciacorta: fixed quota 300,00
A_CF, U_CF = "00413350174", "80003500172"


def base(a_cf=A_CF, extra=()):
    """Acquafredda and the Unione, both members for the whole of 2021, billed, the creditor
    registered (segregation code 07) and, unless `extra` adds events in between, the
    notices issued."""
    return ([tariff_adopted(),
             ente(A, "Acquafredda", "comune", a_cf, 1600, 120),
             ente(U, "Unione della Franciacorta", "unione", U_CF)]
            + joined("M-A", A, "2020-12-15") + joined("M-U", U, "2020-12-15")
            + [billing_run(), creditor(), *extra, notices_issued()])


# IUV = 07 + base (13 digits) + (3 07 base as a 16-digit number) mod 93. 3.070.000.000.000.000
# = 93 × 33.010.752.688.172 + 4, so base n has check digits 4 + n (for n < 89).
N1 = "07000000000000105"  # base 1: 4 + 1 = 5
N2 = "07000000000000206"  # base 2: 4 + 2 = 6
N3 = "07000000000000307"  # base 3: 4 + 3 = 7
N99 = "07000000000009910"  # base 99: 4 + 99 = 103 = 93 + 10
N1_BAD = "07000000000000106"  # N1 with check digits 06 instead of 05


def notice(charge, payer, iuv, amount, status):
    return {"charge": charge, "payer": payer, "notice_number": "3" + iuv, "iuv": iuv, "amount": amount,
            "status": status}


def line(position, iuv, payment):
    return {"position": position, "iuv": iuv, "payment": payment}


def mismatch(position, iuv, payment, expected):
    return {"position": position, "iuv": iuv, "payment": payment, "expected": expected}


def unknown(position, iuv):
    return {"position": position, "iuv": iuv}


def report(accepted=True, matched=(), mismatched=(), unknown=(), already=(), problems=(), events=()):
    return {"accepted": accepted, "matched": list(matched), "mismatched": list(mismatched),
            "unknown": list(unknown), "already_recorded": list(already),
            "problems": [{"path": p} for p in problems], "events": list(events)}


def booked(iuv, iur, payer, charge, amount, date, flow_id, index=1):
    return {"type": "payment_received", "payment": f"PA-{iuv}-{iur}-{index}", "payer": payer, "date": date,
            "amount": amount, "charge": charge,
            "channel": {"kind": "pagopa", "iuv": iuv, "iur": iur, "index": index, "flow": flow_id}}


def revoked(payment, date, flow_id):
    return {"type": "payment_reversed", "id": f"{payment}:revoca", "payment": payment, "date": date,
            "reason": f"Pagamento revocato (esito 3) nel flusso di rendicontazione {flow_id}"}


def balance(e, at, charged, paid="0.00", outstanding="0.00", credit="0.00", overdue="0.00"):
    return {"ente": e, "at": at, "charged": charged, "paid": paid, "outstanding": outstanding, "credit": credit,
            "overdue": overdue}


F1, F2 = "2021-03-15BCITITMM-S0000001", "2021-03-22BCITITMM-S0000002"
D1, D2 = "2021-03-14", "2021-03-21"
QA, QU = "Q2021-017001", "Q2021-U1"
PA1 = f"PA-{N1}-IUR-A-1"
PAID_N1 = flow(F1, [(N1, "IUR-A", "360.00", 0, D1)])
ROOT = "FlussoRiversamento"
P = f"{ROOT}/datiSingoliPagamenti"

HAND = [
    # name, events, flows (dicts, or XML texts the reference cannot read), at, expected, why
    ("R-RECONCILE a notice paid in full (esito 0)", base(), [PAID_N1], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "paid"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(matched=[line(1, N1, PA1)], events=[booked(N1, "IUR-A", A, QA, "360.00", D1, F1)])],
      "balances": [balance(A, "2021-05-01", "360.00", "360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "charges by ente id: Q2021-017001 (360,00) then Q2021-U1 (300,00); notice bases 1 and 2, IUV "
     "07 0000000000001 05 (3.070.000.000.000.001 mod 93 = 5) and …0002 06; 360,00 = the notice's 360,00: "
     "booked as PA-{IUV}-IUR-A-1 on Q2021-017001; the Unione's 300,00 is overdue on 1 May"),
    ("R-RECONCILE a payment revoked by a later flow (esito 3)", base(),
     [PAID_N1, flow(F2, [(N1, "IUR-A", "-360.00", 3, D2)], day="2021-03-22")], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "open"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(matched=[line(1, N1, PA1)], events=[booked(N1, "IUR-A", A, QA, "360.00", D1, F1)]),
                  report(matched=[line(1, N1, PA1 + ":revoca")], events=[revoked(PA1, D2, F2)])],
      "balances": [balance(A, "2021-05-01", "360.00", "0.00", "360.00", overdue="360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "the second flow revokes IUV N1 with the same IUR and −360,00 = −(the 360,00 booked): reversed by "
     "PA-…-IUR-A-1:revoca; paid 360,00 − 360,00 = 0,00, Q2021-017001 open again and overdue"),
    ("R-RECONCILE an unknown IUV and a wrong check digit", base(),
     [flow(F1, [(N99, "IUR-X", "50.00", 0, D1), (N1_BAD, "IUR-Y", "360.00", 0, D1)])], "2021-04-30",
     {"notices": [notice(QA, A, N1, "360.00", "open"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(unknown=[unknown(1, N99), unknown(2, N1_BAD)], problems=[f"{P}[2]/identificativoUnivocoVersamento"])],
      "balances": [balance(A, "2021-04-30", "360.00", outstanding="360.00"),
                   balance(U, "2021-04-30", "300.00", outstanding="300.00")]},
     "base 99: 4 + 99 = 103 = 93 + 10, a valid IUV of no notice (only 2 were issued): unknown; N1 with "
     "check digits 06 instead of 05: a problem at its IUV, and no notice has it: unknown; nothing booked; "
     "on the due date nothing is overdue yet"),
    ("R-RECONCILE a payment a cent short is not booked", base(),
     [flow(F1, [(N1, "IUR-A", "359.99", 0, D1)])], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "open"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(mismatched=[mismatch(1, N1, PA1, "360.00")])],
      "balances": [balance(A, "2021-05-01", "360.00", outstanding="360.00", overdue="360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "359,99 ≠ the notice's 360,00: mismatched, reported with the payment id it would have had; no event"),
    ("R-RECONCILE the same flow twice books once",
     base(), [flow(F1, [(N1, "IUR-A", "360.00", 0, D1), (N2, "IUR-B", "300.00", 9, D1)])] * 2, "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "paid"), notice(QU, U, N2, "300.00", "paid")],
      "reports": [report(matched=[line(1, N1, PA1), line(2, N2, f"PA-{N2}-IUR-B-1")],
                         events=[booked(N1, "IUR-A", A, QA, "360.00", D1, F1),
                                 booked(N2, "IUR-B", U, QU, "300.00", D1, F1)]),
                  report(already=[line(1, N1, PA1), line(2, N2, f"PA-{N2}-IUR-B-1")])],
      "balances": [balance(A, "2021-05-01", "360.00", "360.00"), balance(U, "2021-05-01", "300.00", "300.00")]},
     "first time: 360,00 (esito 0) and 300,00 (esito 9, paid without RPT) match their notices and are booked; "
     "the same flow again finds both payment ids recorded: already_recorded, no event"),
    ("R-RECONCILE totals that do not add up book nothing", base(),
     [flow(F1, [(N1, "IUR-A", "360.00", 0, D1)], count=2, total="360.01")], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "open"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(accepted=False, matched=[line(1, N1, PA1)],
                         problems=[f"{ROOT}/numeroTotalePagamenti", f"{ROOT}/importoTotalePagamenti"])],
      "balances": [balance(A, "2021-05-01", "360.00", outstanding="360.00", overdue="360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "numeroTotalePagamenti 2 for 1 payment, importoTotalePagamenti 360,01 for 360,00: not accepted; the "
     "line that matches is shown, but no event is given"),
    ("R-RECONCILE a flow for another creditor books nothing", base(),
     [flow(F1, [(N1, "IUR-A", "360.00", 0, D1)], receiver="00761890177")], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "open"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(accepted=False, matched=[line(1, N1, PA1)],
                         problems=[f"{ROOT}/istitutoRicevente/identificativoUnivocoRicevente/codiceIdentificativoUnivoco"])],
      "balances": [balance(A, "2021-05-01", "360.00", outstanding="360.00", overdue="360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "the receiver is 00761890177 (Comune di Brescia), not the creditor's 80008750178: not accepted, no event"),
    ("R-RECONCILE a withdrawn notice paid anyway becomes credit",
     base() + [{"type": "charge_reversed", "charge": QA, "date": "2021-03-10", "reason": "abitanti errati"}],
     [PAID_N1], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "withdrawn"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(matched=[line(1, N1, PA1)], problems=[f"{P}[1]/identificativoUnivocoVersamento"],
                         events=[booked(N1, "IUR-A", A, QA, "360.00", D1, F1)])],
      "balances": [balance(A, "2021-05-01", "0.00", "360.00", credit="360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "Q2021-017001 reversed after the notices: N1 withdrawn; the PSP collected 360,00 all the same: a problem "
     "at the IUV, but booked; Acquafredda owes nothing else, so charged 360,00 − 360,00 = 0,00, paid 360,00, "
     "credit 360,00"),
    ("R-NOTICE a capofila is the debtor of its share",
     [tariff_adopted(), ente(A, "Acquafredda", "comune", A_CF, 1600, 120),
      ente(U, "Unione della Franciacorta", "unione", U_CF)]
     + joined("M-A", A, "2020-12-15") + joined("M-U", U, "2020-12-15")
     + [agreed(U, [A], {"kind": "percent", "percent": "50"}), billing_run(), creditor(), notices_issued()],
     [flow(F1, [(N1, "IUR-U", "180.00", 0, D1)])], "2021-05-01",
     {"notices": [notice(QA, U, N1, "180.00", "paid"), notice(QA, A, N2, "180.00", "open"),
                  notice(QU, U, N3, "300.00", "open")],
      "reports": [report(matched=[line(1, N1, f"PA-{N1}-IUR-U-1")],
                         events=[booked(N1, "IUR-U", U, QA, "180.00", D1, F1)])],
      "balances": [balance(A, "2021-05-01", "180.00", outstanding="180.00", overdue="180.00"),
                   balance(U, "2021-05-01", "480.00", "180.00", "300.00", overdue="300.00")]},
     "the Unione pays 50 % of Acquafredda's 360,00: 36.000 cents / 2 = 18.000, shares Unione 180,00 then "
     "Acquafredda 180,00; three notices in charge then share order: N1 the Unione's 180,00, N2 Acquafredda's "
     "180,00, N3 the Unione's own 300,00 (4 + 3 = 07); the 180,00 paid on N1 is the Unione's, on Q2021-017001: "
     "the Unione has 180,00 + 300,00 = 480,00 charged, 300,00 open"),
    ("R-RECONCILE stand-in outcomes 4 and 8 are payments", base(),
     [flow(F1, [(N1, "IUR-S1", "360.00", 4, D1), (N2, "IUR-S2", "300.00", 8, D1)])], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "paid"), notice(QU, U, N2, "300.00", "paid")],
      "reports": [report(matched=[line(1, N1, f"PA-{N1}-IUR-S1-1"), line(2, N2, f"PA-{N2}-IUR-S2-1")],
                         events=[booked(N1, "IUR-S1", A, QA, "360.00", D1, F1),
                                 booked(N2, "IUR-S2", U, QU, "300.00", D1, F1)])],
      "balances": [balance(A, "2021-05-01", "360.00", "360.00"), balance(U, "2021-05-01", "300.00", "300.00")]},
     "esito 4 (Stand-In) and 8 (Stand-In without RPT) are payments made: both amounts equal their notices, "
     "both booked"),
    ("R-NOTICE refused for a payer without codice fiscale", base(a_cf=None), [], "2021-05-01",
     {"code": "invalid_value", "path": "enti.017001.codice_fiscale", "event": 11},
     "Acquafredda is registered without codice fiscale and owes an open share of Q2021-017001: the whole "
     "notices_issued is refused: event 11 (0 the tariff, 1–2 the enti, 3–8 the memberships, 9 the billing run, "
     "10 the creditor)"),
    ("R-RECONCILE the revocation of a payment never booked", base(),
     [flow(F1, [(N1, "IUR-A", "-360.00", 3, D1)])], "2021-05-01",
     {"notices": [notice(QA, A, N1, "360.00", "open"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(mismatched=[mismatch(1, N1, None, "360.00")], problems=[f"{P}[1]"])],
      "balances": [balance(A, "2021-05-01", "360.00", outstanding="360.00", overdue="360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "esito 3 for IUV N1 and IUR-A, but no payment of that IUV and IUR is booked: a problem at the payment, "
     "mismatched, no payment id, no event; the flow adds up (1 payment, −360,00)"),
    ("R-NOTICE a share partly paid asks what is open",
     base(extra=[paid("P-1", A, "2021-03-01", "100.00")]),
     [flow(F1, [(N1, "IUR-A", "260.00", 0, D1)])], "2021-05-01",
     {"notices": [notice(QA, A, N1, "260.00", "paid"), notice(QU, U, N2, "300.00", "open")],
      "reports": [report(matched=[line(1, N1, PA1)], events=[booked(N1, "IUR-A", A, QA, "260.00", D1, F1)])],
      "balances": [balance(A, "2021-05-01", "360.00", "360.00"),
                   balance(U, "2021-05-01", "300.00", outstanding="300.00", overdue="300.00")]},
     "100,00 paid by bank transfer before the notices: N1 asks 360,00 − 100,00 = 260,00; the flow's 260,00 "
     "closes it: paid 100,00 + 260,00 = 360,00"),
    ("R-RECONCILE a flow that cannot be read is refused", base(),
     [PAID_N1, flow_xml(flow(F2, [(N2, "IUR-B", "300.00", 0, D2)])).replace(
         "<singoloImportoPagato>300.00<", "<singoloImportoPagato>300.005<")], "2021-05-01",
     {"code": "malformed", "path": f"{P}[1]/singoloImportoPagato", "flow": 1},
     "the second flow's amount 300.005 has three decimals: Flow::from_xml refuses it (malformed, at the "
     "element), flow index 1; the reference does not read XML, so this case is checked by hand only"),
]


def hand_cases():
    out = []
    for name, events, flows, at, expected, why in HAND:
        case = {"name": name, "why": why, "events": events,
                "flows": [f if isinstance(f, str) else flow_xml(f) for f in flows], "year": YEAR, "at": at}
        key = "expected_error" if "code" in expected else "expected"
        case[key] = expected
        if all(isinstance(f, dict) for f in flows):
            got = ref.run_case(events, flows, YEAR, at)
            if got != {key: expected}:
                sys.exit(f"hand case {name!r}: the reference gives\n{json.dumps(got)}\nthe hand output\n"
                         f"{json.dumps({key: expected})}")
        out.append(case)
    return out


# --- generated cases -----------------------------------------------------------------


def money(cents):
    return ref.plain(Decimal(cents) / 100)


def generated_case(rng, number):
    seg = f"{rng.randint(0, 49):02d}"
    cred = dict(CREDITOR, codice_fiscale=ref.codice_fiscale(f"8{rng.randint(0, 10**9 - 1):09d}"),
                segregation_code=seg)
    cf = lambda: ref.codice_fiscale(f"00{rng.randint(0, 10**8 - 1):08d}")  # noqa: E731
    events = [tariff_adopted()]
    later_cf = []
    signed = lambda: rng.choice(["2020-12-15", f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])  # noqa: E731

    def code_for(id):
        r = rng.random()
        if r < 0.15:
            later_cf.append(id)
            return None
        return cf()

    comuni = sorted(f"{17001 + k:06d}" for k in rng.sample(range(200), rng.randint(1, 3)))
    members = []
    for k, c in enumerate(comuni):
        ab = rng.choice([rng.randint(200, 3000), rng.randint(200, 15000)])
        events.append(ente(c, f"Comune {c}", "comune", code_for(c), ab, rng.randint(0, ab // 8 + 1)))
        members.append(c)
    events.append(ente("U-1", "Unione dei Comuni", "unione", code_for("U-1")))
    if rng.random() < 0.7:
        members.append("U-1")
    if rng.random() < 0.3:
        events.append(ente("P-1", "Parco regionale", "altro", code_for("P-1")))
        members.append("P-1")
    for k, m in enumerate(members):
        events += joined(f"M-{k}", m, signed())
    if rng.random() < 0.5:
        kind = rng.choice(["all", "percent", "percent", "fixed"])
        share = {"kind": kind}
        if kind == "percent":
            share["percent"] = rng.choice(["50", "33.33", "25", "100", "0", "12.5"])
        elif kind == "fixed":
            share["amount"] = money(rng.randint(1, 40_000))
        events.append(agreed("U-1", sorted(rng.sample(comuni, rng.randint(1, len(comuni)))), share))
    events += [billing_run(), creditor(cred)]
    for id in later_cf:
        if rng.random() < 0.9:
            events.append({"type": "codice_fiscale_recorded", "ente": id, "codice_fiscale": cf()})
    payers = sorted(set(comuni) | {"U-1"} | ({"P-1"} if "P-1" in members else set()))
    if rng.random() < 0.3:
        events.append(paid("P-0", rng.choice(payers), "2021-03-01", money(rng.randint(1, 50_000))))
    events.append(notices_issued())
    books = ref.Books()
    for e in events:
        try:
            books.apply(e)
        except ref.RefError:
            break
    notices = list(books.notices)
    charges = [c["id"] for c in books.charges]
    if notices and rng.random() < 0.25:
        events.append({"type": "charge_reversed", "charge": rng.choice(charges), "date": "2021-03-10",
                       "reason": "conteggi errati"})
    flows = []
    done = []  # (iuv, iur, index, amount) of the lines paying a notice's amount in earlier flows
    for k in range(rng.randint(1, 3) if notices else 0):
        if flows and rng.random() < 0.2:
            flows.append(flows[rng.randrange(len(flows))])
            continue
        day = f"2021-03-{15 + 7 * k:02d}"
        date = f"2021-03-{14 + 7 * k:02d}"
        lines = []
        exact = []  # the lines of this flow paying a notice's amount
        for _ in range(rng.randint(1, 5)):
            n = rng.choice(notices)
            amount = n["amount"]
            iur = f"IUR-{rng.randint(0, 99999):05d}"
            index = 1 if rng.random() < 0.8 else rng.randint(2, 5)
            r = rng.random()
            if r < 0.40 or (r < 0.80 and not done and not exact):
                lines.append((n["iuv"], iur, ref.plain(amount), rng.choice([0, 0, 4, 8, 9]), date, index))
                exact.append((n["iuv"], iur, index, amount))
            elif r < 0.48:
                delta = rng.choice([-1, 1]) * rng.randint(1, 100)
                wrong = max(amount + Decimal(delta) / 100, Decimal("0.01"))
                if wrong == amount:
                    wrong += Decimal("0.01")
                lines.append((n["iuv"], iur, ref.plain(wrong), 0, date, index))
            elif r < 0.54:
                lines.append((ref.iuv(seg, len(notices) + rng.randint(1, 50)), iur, money(rng.randint(1, 50_000)),
                              0, date, 1))
            elif r < 0.59:
                bad = f"{(int(n['iuv'][15:]) + rng.randint(1, 92)) % 93:02d}"
                lines.append((n["iuv"][:15] + bad, iur, ref.plain(amount), 0, date, 1))
            elif r < 0.80:
                earlier = exact + done
                if earlier:
                    iuv_, iur_, index_, amt = rng.choice(earlier)
                    if rng.random() < 0.85:
                        lines.append((iuv_, iur_, ref.plain(-amt), 3, date, index_))
                    else:
                        lines.append((iuv_, iur_, ref.plain(-amt + Decimal("0.01")), 3, date, index_))
                else:
                    lines.append((n["iuv"], iur, ref.plain(-amount), 3, date, 1))
            elif r < 0.84:
                lines.append((n["iuv"], iur, ref.plain(-amount), 3, date, 1))
            elif r < 0.90 and lines:
                lines.append(lines[rng.randrange(len(lines))])
            else:
                lines.append((n["iuv"], iur, "0.00", 0, date, index))
        r = rng.random()
        f = flow(f"{day}BCITITMM-S{number:03d}{k:04d}", lines, day=day,
                 receiver=ref.codice_fiscale(f"00{rng.randint(0, 10**8 - 1):08d}") if r < 0.06 else cred["codice_fiscale"])
        if 0.06 <= r < 0.11:
            f["count"] += 1
        elif 0.11 <= r < 0.16:
            f["total"] = ref.plain(Decimal(f["total"]) + Decimal("0.01"))
        done += exact
        flows.append(f)
    at = rng.choice(["2021-04-30", "2021-05-01", "2021-12-31"])
    case = {"name": f"generated {number}", "events": events, "flows": [flow_xml(f) for f in flows],
            "year": YEAR, "at": at}
    case.update(ref.run_case(events, flows, YEAR, at))
    return case


def generated_cases():
    rng = random.Random(SEED)
    return [generated_case(rng, i) for i in range(COUNT)]


def main():
    write("pagopa.json", "pagopa",
          "pagoPA notices and the reconciliation of flussi di rendicontazione (R-NOTICE, R-RECONCILE): input a "
          "journal of registry events, FlussoRiversamento XML texts (each reconciled, then its report's events "
          "applied, in order), the notices' year and a day; output the notices of the year (charge, payer, "
          "notice_number, iuv, amount, status), one report per flow (accepted; the lines matched, mismatched, "
          "unknown and already recorded by position, iuv and payment; the problems' paths; the events) and "
          "every ente's balance on that day, or the error code and path with the index of the refused event "
          "or flow.", hand_cases() + generated_cases(), "generate_pagopa.py", SEED)


if __name__ == "__main__":
    main()
