"""A CIT's year through pagoPA (R-NOTICE, R-RECONCILE): the quotas billed, a numero avviso
for every payer's share, the debt positions for pagoPA's Gestione Posizioni Debitorie, and
the PSPs' flussi di rendicontazione reconciled into the books.

The Provincia di Brescia (codice fiscale 80008750178) runs the CIT and collects its
quotas: codice di segregazione 07, taxonomy code 9/0101002IM/; its IBAN,
IT60X0542811101000000123456, is illustrative. An Unione and three of its comuni join for
2025 with the tariff `examples/tariffs/bs-2021-services.json`; the Unione pays 50 % of its
members' quotas. The codici fiscali of the Unione and the comuni are made up, with the
right check digit; the abitanti are the 2011 census figures of `examples/data`, the imprese
illustrative.

The GPD documents (one JSON per debt position) and the notices' CSV for the office are
written to DIR; then two flows arrive: the first pays two notices, the second revokes one
of them, pays another and reports an IUV of no notice.

    .venv/bin/python examples/python/pagopa.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import cit
import cit.pagopa
from cit.types import FlowLine, Reconciliation

EXAMPLES = Path(__file__).resolve().parents[1]

CREDITOR = {
    "codice_fiscale": "80008750178",
    "name": "Provincia di Brescia",
    "segregation_code": "07",
    "iban": "IT60X0542811101000000123456",
    "category": "9/0101002IM/",
}

# id, name, kind, abitanti, imprese, codice fiscale (made up, with the right check digit).
ENTI: List[Tuple[str, str, str, int, int, str]] = [
    ("UVT", "Unione della Valtenesi", "unione", 0, 0, "90001230177"),
    ("017109", "Moniga del Garda", "comune", 2_436, 250, "00401230172"),
    ("017129", "Padenghe sul Garda", "comune", 4_276, 420, "00404560179"),
    ("017145", "Polpenazze del Garda", "comune", 2_468, 230, "00407890177"),
]
NAMES = {e[0]: e[1] for e in ENTI}

FLOW = """<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>{id}</identificativoFlusso>
  <dataOraFlusso>{day}T09:30:00</dataOraFlusso>
  <identificativoUnivocoRegolamento>Bonifico SEPA-03069-{n}</identificativoUnivocoRegolamento>
  <dataRegolamento>{day}</dataRegolamento>
  <istitutoMittente>
    <identificativoUnivocoMittente>
      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>BCITITMM</codiceIdentificativoUnivoco>
    </identificativoUnivocoMittente>
    <denominazioneMittente>Intesa Sanpaolo</denominazioneMittente>
  </istitutoMittente>
  <istitutoRicevente>
    <identificativoUnivocoRicevente>
      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>80008750178</codiceIdentificativoUnivoco>
    </identificativoUnivocoRicevente>
    <denominazioneRicevente>Provincia di Brescia</denominazioneRicevente>
  </istitutoRicevente>
  <numeroTotalePagamenti>{count}</numeroTotalePagamenti>
  <importoTotalePagamenti>{total:.2f}</importoTotalePagamenti>
{payments}</FlussoRiversamento>
"""

PAYMENT = """  <datiSingoliPagamenti>
    <identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>{iur}</identificativoUnivocoRiscossione>
    <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
    <singoloImportoPagato>{amount:.2f}</singoloImportoPagato>
    <codiceEsitoSingoloPagamento>{outcome}</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>{day}</dataEsitoSingoloPagamento>
  </datiSingoliPagamenti>
"""


def italian(value: Decimal, decimals: int) -> str:
    """1.234,56: dots for thousands, a comma for decimals."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def euro(amount: Decimal) -> str:
    """€ 1.234,56; -€ 307,70."""
    return f"{'-' if amount < 0 else ''}€ {italian(abs(amount), 2)}"


def title(text: str) -> None:
    print(f"\n{text}\n{'─' * len(text)}")


def flow_xml(n: int, day: str, payments: Sequence[Tuple[str, str, Decimal, int]]) -> str:
    """The flow number `n` of the PSP, settled on `day`: payments (IUV, IUR, amount, esito)."""
    lines = "".join(PAYMENT.format(iuv=i, iur=r, amount=a, outcome=o, day=day) for i, r, a, o in payments)
    return FLOW.format(id=f"{day}BCITITMM-S{n:07}", day=day, n=f"A{n:04}", count=len(payments),
                       total=sum((a for _, _, a, _ in payments), Decimal(0)), payments=lines)


def the_year() -> cit.Registry:
    """The tariff, the enti, their memberships, the Unione's undertaking, the 2025 run,
    the creditor and the notices."""
    registry = cit.Registry()
    tariff = json.loads((EXAMPLES / "tariffs" / "bs-2021-services.json").read_text(encoding="utf-8"))
    events: List[Dict[str, Any]] = [{"type": "tariff_adopted", "tariff": tariff}]
    for ente, name, kind, abitanti, imprese, cf in ENTI:
        doc: Dict[str, Any] = {"id": ente, "name": name, "kind": kind, "codice_fiscale": cf}
        if kind == "comune":
            doc.update(abitanti=abitanti, imprese=imprese)
        events.append({"type": "ente_registered", "ente": doc})
    for n, (ente, *_) in enumerate(ENTI, start=1):
        events.append({"type": "membership_requested", "membership": f"ADE-{n}", "ente": ente, "date": "2024-11-15"})
    delibera = {"date": "2024-12-10", "organ": "Consiglio dell'Unione"}
    events.append({"type": "membership_approved", "membership": "ADE-1", "delibera": {"number": "41/2024", **delibera}})
    events.append({"type": "unione_approved", "unione": "UVT", "memberships": ["ADE-2", "ADE-3", "ADE-4"],
                   "delibera": {"number": "42/2024", **delibera}})
    for n in range(1, len(ENTI) + 1):
        events.append({"type": "convention_signed", "membership": f"ADE-{n}", "date": "2025-01-10", "to": "2025-12-31"})
    events += [
        {"type": "payer_agreed", "capofila": "UVT", "members": ["017109", "017129", "017145"],
         "share": {"kind": "percent", "percent": "50"}, "from_year": 2025},
        {"type": "billing_run", "year": 2025, "issued": "2025-02-15", "due": "2025-04-30"},
        {"type": "creditor_registered", "creditor": CREDITOR},
        {"type": "notices_issued", "year": 2025, "date": "2025-02-20"},
    ]
    registry.apply_all(events)
    return registry


def show_notices(registry: cit.Registry) -> None:
    status = {"open": "da pagare", "paid": "pagato", "withdrawn": "annullato"}
    print(f"{'Numero avviso':<20} {'Addebito':<14} {'Debitore':<24} {'Cod. fiscale':<12} {'Importo':>10}  Stato")
    for n in registry.notices(2025):
        print(f"{n['notice_number']:<20} {n['charge']:<14} {n['payer_name']:<24} {n['codice_fiscale']:<12} "
              f"{euro(n['amount']):>10}  {status[n['status']]}")


def show_balances(registry: cit.Registry) -> None:
    print(f"{'Ente':<24} {'Addebitato':>12} {'Pagato':>12} {'Da pagare':>12}")
    for b in registry.balances("2025-12-31"):
        print(f"{NAMES[b['ente']]:<24} {euro(b['charged']):>12} {euro(b['paid']):>12} {euro(b['outstanding']):>12}")


def show_report(report: Reconciliation) -> None:
    f = report["flow"]
    print(f"Flusso {f['id']} del {f['regulation_date']:%d.%m.%Y}: {f['count']} pagamenti, {euro(f['total'])}"
          f"{'' if report['accepted'] else ' — RESPINTO: i totali non tornano'}")
    outcome = {"paid": "pagato", "revoked": "revocato", "stand_in": "pagato (stand-in)",
               "stand_in_without_receipt": "pagato (stand-in senza RPT)", "paid_without_receipt": "pagato senza RPT"}
    groups: List[Tuple[str, List[FlowLine]]] = [
        ("riconciliato", report["matched"]), ("importo diverso", report["mismatched"]),
        ("IUV sconosciuto", report["unknown"]), ("già registrato", report["already_recorded"]),
    ]
    for label, lines in groups:
        for line in lines:
            who = NAMES[line["payer"]] if line["payer"] else "—"
            print(f"  [{line['position']}] {line['iuv']}  {outcome[line['outcome']]:<18} {euro(line['amount']):>10}  "
                  f"{who:<24} {label}")
    for p in report["problems"]:
        print(f"  ! {p['path']}: atteso {p['expected']}, trovato {p['found']}")
    print(f"  Riconciliati {len(report['matched'])}, importo diverso {len(report['mismatched'])}, "
          f"sconosciuti {len(report['unknown'])}, già registrati {len(report['already_recorded'])}: "
          f"{len(report['events'])} eventi da registrare")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("target/pagopa-py"),
                        help="where to write the GPD documents and the CSV (default target/pagopa-py)")
    out: Path = parser.parse_args().out

    title("Ruolo 2025 e avvisi pagoPA (R-RUN, R-NOTICE)")
    registry = the_year()
    creditor = registry.creditor()
    assert creditor is not None
    print(f"Ente creditore: {creditor['name']} (c.f. {creditor['codice_fiscale']}), "
          f"codice di segregazione {creditor['segregation_code']}, IBAN {creditor['iban']}")
    show_notices(registry)

    positions = registry.debt_positions(2025)
    gpd = out / "gpd"
    gpd.mkdir(parents=True, exist_ok=True)
    for position in positions:
        (gpd / f"{position['iupd']}.json").write_text(
            json.dumps(position, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    csv = out / "avvisi-2025.csv"
    csv.write_text(registry.notices_csv(2025), encoding="utf-8")
    print(f"\n{len(positions)} posizioni debitorie GPD scritte in {gpd}/, elenco degli avvisi in {csv}")

    title("Situazione prima dei pagamenti")
    show_balances(registry)

    notices = {(n["charge"], n["payer"]): n for n in registry.notices(2025)}
    moniga = notices[("Q2025-017109", "017109")]
    padenghe = notices[("Q2025-017129", "017129")]
    unione = notices[("Q2025-UVT", "UVT")]
    unknown = cit.pagopa.iuv(segregation_code="07", base="0000000000999")
    flows = [
        flow_xml(1, "2025-03-10", [
            (moniga["iuv"], "IUR-20250308-001", moniga["amount"], 0),
            (padenghe["iuv"], "IUR-20250309-002", padenghe["amount"], 0),
        ]),
        flow_xml(2, "2025-03-24", [
            (moniga["iuv"], "IUR-20250308-001", -moniga["amount"], 3),
            (unione["iuv"], "IUR-20250321-003", unione["amount"], 0),
            (unknown, "IUR-20250322-004", Decimal("120.00"), 0),
        ]),
    ]
    booked = revoked = unknowns = 0
    for n, xml in enumerate(flows, start=1):
        title(f"Flusso di rendicontazione n. {n} (R-RECONCILE)")
        report = registry.reconcile_flow(xml)
        show_report(report)
        for event in report["events"]:
            registry.apply(event)
            if event["type"] == "payment_received":
                booked += 1
            else:
                revoked += 1
        unknowns += len(report["unknown"])
        again = registry.reconcile_flow(xml)
        print(f"  Lo stesso flusso ricevuto di nuovo: {len(again['already_recorded'])} già registrati, "
              f"{len(again['events'])} eventi")

    title("Situazione dopo la riconciliazione")
    show_balances(registry)
    print()
    show_notices(registry)
    print(f"\nRiconciliazione: {booked} pagamenti registrati, {revoked} revoca, {unknowns} IUV sconosciuto")


if __name__ == "__main__":
    main()
