"""An office's year on a SQLite file with cit.store: the books of a small CIT kept in a
real database, closed and reopened between sessions as an office would.

January: the tariff, an Unione and three comuni, their memberships and a canone service;
the 2022 billing run. June: the payments arrive (one partial, one over). November: the
renewal campaign, the close of the year and the 2023 billing run. Every session opens the
file again, and the last one verifies the hash chain and prints the journal's head — the
value to record in the minutes (R-JOURNAL).

    .venv/bin/python examples/python/books.py --fresh target/books.db

The abitanti are the 2011 census figures of `examples/data`; the imprese are illustrative;
the tariff is `examples/tariffs/bs-2021-services.json`.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import cit
import cit.store

EXAMPLES = Path(__file__).resolve().parents[1]


def italian(value: Decimal, decimals: int) -> str:
    """1.234,56: dots for thousands, a comma for decimals."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def euro(amount: Decimal) -> str:
    """€ 1.234,56."""
    return f"€ {italian(amount, 2)}"


def title(text: str) -> None:
    print(f"\n{text}\n{'─' * len(text)}")


NAMES = {"UVT": "Unione della Valtenesi", "017109": "Moniga del Garda",
         "017129": "Padenghe sul Garda", "017145": "Polpenazze del Garda"}


def january() -> List[Dict[str, Any]]:
    """The events of the first session: who joins, what they ask for, the 2022 run."""
    tariff = json.loads((EXAMPLES / "tariffs" / "bs-2021-services.json").read_text(encoding="utf-8"))
    events: List[Dict[str, Any]] = [
        {"type": "tariff_adopted", "tariff": tariff},
        {"type": "ente_registered", "ente": {"id": "UVT", "name": NAMES["UVT"], "kind": "unione"}},
    ]
    for ente, abitanti, imprese in (("017109", 2_436, 250), ("017129", 4_276, 420), ("017145", 2_468, 230)):
        events.append({"type": "ente_registered", "ente": {"id": ente, "name": NAMES[ente], "kind": "comune",
                                                          "abitanti": abitanti, "imprese": imprese}})
    for n, ente in enumerate(NAMES, start=1):
        events.append({"type": "membership_requested", "membership": f"ADE-{n}", "ente": ente, "date": "2021-11-15"})
    events.append({"type": "membership_approved", "membership": "ADE-1",
                   "delibera": {"number": "31/2021", "date": "2021-12-10", "organ": "Consiglio dell'Unione"}})
    events.append({"type": "unione_approved", "unione": "UVT", "memberships": ["ADE-2", "ADE-3", "ADE-4"],
                   "delibera": {"number": "32/2021", "date": "2021-12-10", "organ": "Consiglio dell'Unione"}})
    for n in range(1, 5):
        events.append({"type": "convention_signed", "membership": f"ADE-{n}", "date": "2022-01-10", "to": "2025-12-31"})
    events.append({"type": "payer_agreed", "capofila": "UVT", "members": ["017109", "017129", "017145"],
                   "share": {"kind": "percent", "percent": "50"}, "from_year": 2022})
    events += [
        {"type": "subscription_requested", "subscription": "RIC-1", "ente": "017129", "service": "conservazione",
         "quantity": 3, "contact": "Ufficio segreteria", "date": "2022-01-20"},
        {"type": "subscription_activated", "subscription": "RIC-1", "date": "2022-01-31"},
        {"type": "billing_run", "year": 2022, "issued": "2022-02-15", "due": "2022-04-30"},
    ]
    return events


def show_charges(registry: cit.Registry, year: int) -> None:
    print(f"{'Addebito':<20} {'Ente':<24} {'A carico di':<24} {'Importo':>12}")
    total = Decimal(0)
    for c in registry.charges():
        if c["year"] != year:
            continue
        for share in c["shares"]:
            print(f"{c['id']:<20} {NAMES[c['ente']]:<24} {NAMES[share['payer']]:<24} {euro(share['amount']):>12}")
        total += c["amount"]
    print(f"{'Totale del ruolo ' + str(year):<70} {euro(total):>12}")


def show_balances(registry: cit.Registry, at: str) -> None:
    print(f"{'Ente':<24} {'Addebitato':>12} {'Pagato':>12} {'Da pagare':>12} {'Credito':>12} {'Scaduto':>12}")
    for b in registry.balances(at):
        print(f"{NAMES[b['ente']]:<24} {euro(b['charged']):>12} {euro(b['paid']):>12} "
              f"{euro(b['outstanding']):>12} {euro(b['credit']):>12} {euro(b['overdue']):>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="the SQLite file of the books")
    parser.add_argument("--fresh", action="store_true", help="start new books, replacing the file if it exists")
    args = parser.parse_args()
    path: Path = args.path
    if path.exists():
        if not args.fresh:
            parser.error(f"{path} exists: these may be real books; pass --fresh to replace them")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    title("Gennaio 2022: adesioni, servizi e ruolo 2022")
    with cit.store.open(path) as journal:
        version = journal.append(january(), expected_version=journal.version)
        print(f"{version} eventi registrati in {path}")
        show_charges(journal.registry(), 2022)

    title("Giugno 2022: gli incassi (R-LEDGER)")
    with cit.store.open(path) as journal:
        payments = [("REV-101", "UVT", "1500.00"), ("REV-102", "017109", "150.00"), ("REV-103", "017129", "700.00")]
        for pid, payer, amount in payments:
            event = {"type": "payment_received", "payment": pid, "payer": payer, "date": "2022-06-20", "amount": amount}
            journal.append([event], expected_version=journal.version)
            print(f"{pid}  {NAMES[payer]:<24} {euro(Decimal(amount)):>12}")
        # The bank sends REV-103 again: recognised, not booked twice.
        again = {"type": "payment_received", "payment": "REV-103", "payer": "017129", "date": "2022-06-20", "amount": "700.00"}
        before = journal.version
        journal.append([again])
        print(f"REV-103 ricevuto due volte: registrato una volta (versione {before} → {journal.version})")
        show_balances(journal.registry(), "2022-06-30")

    title("Novembre 2022: rinnovi, chiusura dell'anno e ruolo 2023 (R-RENEW, R-RUN)")
    with cit.store.open(path) as journal:
        registry = journal.registry()
        status = {"pending": "in attesa", "confirmed": "confermato", "declined": "non rinnovato", "lapsed": "decaduto"}
        for item in registry.renewal_campaign(2023):
            print(f"{item['subscription']:<8} {NAMES[item['ente']]:<24} {item['service']:<16} {status[item['status']]}")
        print("RIC-1 confermato il 20.11.2022")
        journal.append([
            {"type": "renewal_confirmed", "subscription": "RIC-1", "year": 2023, "date": "2022-11-20"},
            {"type": "year_closed", "year": 2022},
            {"type": "billing_run", "year": 2023, "issued": "2023-02-15", "due": "2023-04-30"},
        ], expected_version=journal.version)
        registry = journal.registry()
        show_charges(registry, 2023)
        title("Situazione contabile al 31.12.2023")
        show_balances(registry, "2023-12-31")
        journal.verify()
        version, head = journal.head
        print(f"\nGiornale verificato: {version} eventi, catena integra; impronta da verbalizzare {head}")


if __name__ == "__main__":
    main()
