"""Services, the registry, billing and the ledger through the wheel."""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal
from typing import Any, Dict

import pytest

import cit
from conftest import tariff_text

D = datetime.date


def acquafredda() -> Dict[str, Any]:
    return {"id": "017001", "name": "Acquafredda", "kind": "comune", "abitanti": 1600, "imprese": 120}


def registry() -> cit.Registry:
    r = cit.Registry()
    r.apply({"type": "tariff_adopted", "tariff": json.loads(tariff_text("bs-2021-services.json"))})
    r.apply({"type": "ente_registered", "ente": acquafredda()})
    r.apply({"type": "membership_requested", "membership": "A-1", "ente": "017001", "date": D(2021, 1, 10)})
    r.apply({"type": "membership_approved", "membership": "A-1",
             "delibera": {"number": "4/2021", "date": D(2021, 1, 20), "organ": "Consiglio comunale"}})
    r.apply({"type": "convention_signed", "membership": "A-1", "date": D(2021, 1, 25), "to": D(2025, 12, 31)})
    return r


# Dates as text, the same in the three bindings: read as the documents read their dates,
# ISO YYYY-MM-DD exactly ("22-03-01" is not the year 22, "2022-3-1" is not a date).
DATE_TEXTS = ["2022-03-01", "2022-3-1", "2022-03-01 ", " 2022-03-01", "2022 -03-01", "22-03-01",
              "+2022-03-01", "2022-02-29", "01/03/2022", "2022-03"]


def test_a_date_argument_reads_as_a_date_in_a_document() -> None:
    t = cit.Tariff.from_json(tariff_text("bs-2021-services.json"))
    for text in DATE_TEXTS:
        try:
            as_argument = t.price_service(acquafredda(), "spid", 1, text)["date"].isoformat()
        except cit.InvalidValueError as e:
            assert (e.code, e.path) == ("invalid_value", "date")
            as_argument = None
        r = cit.Registry()
        r.apply({"type": "ente_registered", "ente": acquafredda()})
        try:
            r.apply(json.dumps({"type": "membership_requested", "membership": "A", "ente": "017001", "date": text}))
            as_document = json.loads(r.to_json())[-1]["date"]
        except cit.CitError:
            as_document = None
        assert as_argument == as_document, text
        assert as_argument == (text if text == "2022-03-01" else None), text


def test_service_price_member_or_list() -> None:
    t = cit.Tariff.from_json(tariff_text("bs-2021-services.json"))
    member = t.price_service(acquafredda(), "spid", 3, D(2022, 3, 1),
                             membership={"id": "A-1", "from": D(2022, 1, 1), "to": D(2022, 12, 31)})
    assert member["price"] == "member" and member["total"] == Decimal("105.00")
    assert member["lines"][0]["rule"].startswith("R-")
    other = t.price_service(acquafredda(), "spid", 3, "2022-03-01")
    assert other["price"] == "list" and other["total"] >= member["total"]
    with pytest.raises(cit.RegistryError) as info:
        t.price_service(acquafredda(), "nope", 1, "2022-03-01")
    assert info.value.code == "unknown_service"


def test_billing_run_payments_and_balance() -> None:
    r = registry()
    issued = r.billing_run(2021, D(2021, 3, 1), D(2021, 4, 30))
    assert len(issued) == 1
    charge = r.charges()[0]
    # 1.600 × 0,15 + 120 × 1,00 = 360,00
    assert (charge["kind"], charge["amount"], charge["shares"][0]["payer"]) == ("quota", Decimal("360.00"), "017001")
    assert r.billing_run(2021, D(2021, 3, 2), D(2021, 4, 30)) == []  # idempotent
    r.apply({"type": "payment_received", "payment": "P-1", "payer": "017001", "date": D(2021, 4, 1),
             "amount": Decimal("400.00")})
    b = r.balance("017001", D(2021, 5, 1))
    assert (b["charged"], b["paid"], b["outstanding"], b["credit"]) == (
        Decimal("360.00"), Decimal("400.00"), Decimal("0.00"), Decimal("40.00"))
    assert r.payments()[0]["amount"] == Decimal("400.00")
    assert r.balances(D(2021, 5, 1))[0]["ente"] == "017001"
    assert r.renewal_campaign(2022) == []


def test_refused_events_change_nothing() -> None:
    r = registry()
    before = r.to_json()
    with pytest.raises(cit.TransitionError) as info:
        r.apply({"type": "membership_approved", "membership": "A-1",
                 "delibera": {"number": "5/2021", "date": D(2021, 2, 1), "organ": "Giunta"}})
    assert info.value.code == "illegal_transition"
    with pytest.raises(cit.RegistryError):
        r.apply({"type": "membership_requested", "membership": "B-1", "ente": "999999", "date": D(2021, 1, 10)})
    with pytest.raises(cit.MoneyTypeError) as typed:
        r.apply({"type": "payment_received", "payment": "P-1", "payer": "017001", "date": D(2021, 4, 1),
                 "amount": 400.0})
    assert typed.value.path == "amount"
    with pytest.raises(cit.RegistryError) as malformed:
        r.apply({"type": "payment_recieved"})
    assert malformed.value.code == "malformed"
    assert r.to_json() == before


def test_journal_round_trips_and_pickles() -> None:
    r = registry()
    r.billing_run(2021, D(2021, 3, 1), D(2021, 4, 30))
    again = cit.Registry.from_json(r.to_json())
    assert again == r and len(again) == len(r) == 6
    assert pickle.loads(pickle.dumps(r)) == r
    r.apply(json.dumps({"type": "year_closed", "year": 2021}))
    assert len(r) == 7


def test_payment_reversal() -> None:
    r = registry()
    r.billing_run(2021, D(2021, 3, 1), D(2021, 4, 30))
    r.apply({"type": "payment_received", "payment": "P-1", "payer": "017001", "date": D(2021, 4, 1),
             "amount": "360.00"})
    assert r.balance("017001", D(2021, 5, 1))["outstanding"] == Decimal("0.00")
    r.apply({"type": "payment_reversed", "id": "ST-P-1", "payment": "P-1", "date": D(2021, 4, 20),
             "reason": "bonifico respinto"})
    b = r.balance("017001", D(2021, 5, 1))
    assert (b["paid"], b["outstanding"], b["overdue"]) == (Decimal("0.00"), Decimal("360.00"), Decimal("360.00"))
    reversal = r.payments()[-1]
    assert (reversal["amount"], reversal["reverses"]) == (Decimal("-360.00"), "P-1")
    with pytest.raises(cit.TransitionError):
        r.apply({"type": "payment_reversed", "id": "ST-P-2", "payment": "P-1", "date": D(2021, 4, 21),
                 "reason": "di nuovo"})
