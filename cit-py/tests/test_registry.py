"""Services, the registry, billing and the ledger through the wheel."""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal
from typing import Any, Dict, Type

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
            as_argument = t.price_service(acquafredda(), "spid", 1, {"standing": "non_member"}, text)["date"].isoformat()
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
    standing = {"standing": "member", "membership": "A-1", "from": D(2022, 1, 1), "to": D(2022, 12, 31)}
    member = t.price_service(acquafredda(), "spid", 3, standing, D(2022, 3, 1))
    assert member["price"] == "member" and member["quote"]["total"] == Decimal("105.00")
    assert member["quote"]["lines"][0]["rule"].startswith("R-")
    other = t.price_service(acquafredda(), "spid", 3, {"standing": "non_member"}, "2022-03-01")
    assert other["price"] == "list" and other["quote"]["total"] >= member["quote"]["total"]
    with pytest.raises(cit.RegistryError) as info:
        t.price_service(acquafredda(), "nope", 1, {"standing": "non_member"}, "2022-03-01")
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


# R-JOURNAL: the version, appends that name the version they expect, retries, batches.

def payment(pid: str, amount: str = "100.00", payer: str = "017001") -> Dict[str, Any]:
    return {"type": "payment_received", "payment": pid, "payer": payer, "date": D(2021, 4, 1), "amount": amount}


def test_r_journal_version_counts_the_events_recorded() -> None:
    r = cit.Registry()
    assert r.version == len(r) == 0
    assert r.apply({"type": "ente_registered", "ente": acquafredda()}) == {"outcome": "recorded", "seq": 0}
    assert r.version == 1
    r = registry()
    assert r.version == len(r) == 5
    assert r.apply(payment("P-1")) == {"outcome": "recorded", "seq": 5}
    assert r.version == 6
    run = {"type": "billing_run", "year": 2021, "issued": D(2021, 3, 1), "due": D(2021, 4, 30)}
    assert r.apply(run) == {"outcome": "recorded", "seq": 6}
    # A second run of the same year issues nothing and is not recorded (R-RUN).
    assert r.apply(dict(run, issued=D(2021, 3, 2))) == {"outcome": "unchanged"}
    assert r.version == 7
    assert cit.Registry.from_json(r.to_json()).version == 7
    with pytest.raises(AttributeError):
        r.version = 3  # type: ignore[misc]


def test_r_journal_apply_at_the_expected_version_or_conflict() -> None:
    r = registry()
    assert r.apply(payment("P-1"), expected_version=5) == {"outcome": "recorded", "seq": 5}
    before = r.to_json()
    # Another writer, still at version 5, appends another payment: refused, nothing changes.
    with pytest.raises(cit.ConflictError) as info:
        r.apply(payment("P-2"), expected_version=5)
    e = info.value
    assert isinstance(e, cit.RegistryError) and isinstance(e, cit.CitError)
    assert (e.code, e.expected, e.actual, e.path) == ("version_conflict", 5, 6, "expected_version")
    assert "R-JOURNAL" in str(e)
    with pytest.raises(cit.ConflictError) as ahead:
        r.apply(payment("P-2"), expected_version=9)
    assert (ahead.value.expected, ahead.value.actual) == (9, 6)
    assert r.to_json() == before and r.version == 6
    assert r.apply(payment("P-2"), expected_version=6) == {"outcome": "recorded", "seq": 6}


def test_r_journal_a_retry_at_the_same_expected_version_is_already_recorded() -> None:
    r = registry()
    assert r.apply(payment("P-1"), expected_version=5) == {"outcome": "recorded", "seq": 5}
    r.apply(payment("P-2"))
    before = r.to_json()
    # The acknowledgement of the first append was lost: the writer sends it again.
    assert r.apply(payment("P-1"), expected_version=5) == {"outcome": "already_recorded", "seq": 5}
    # As JSON text too.
    assert r.apply(json.dumps(dict(payment("P-1"), date="2021-04-01")), expected_version=5) == {
        "outcome": "already_recorded", "seq": 5}
    assert r.to_json() == before and r.version == 7
    # The same id with other content at that version is a conflict, not a retry.
    with pytest.raises(cit.ConflictError):
        r.apply(payment("P-1", amount="99.00"), expected_version=5)


def test_r_journal_identical_event_is_already_recorded_same_id_other_content_is_refused() -> None:
    r = registry()
    r.apply(payment("P-1"))
    before = r.to_json()
    assert r.apply(payment("P-1")) == {"outcome": "already_recorded", "seq": 5}
    assert r.apply({"type": "ente_registered", "ente": acquafredda()}) == {"outcome": "already_recorded", "seq": 1}
    with pytest.raises(cit.RegistryError) as info:
        r.apply(payment("P-1", amount="99.00"))
    assert (info.value.code, info.value.path) == ("duplicate_event", "id")
    assert not isinstance(info.value, cit.ConflictError)
    assert r.to_json() == before and r.version == 6


def test_r_journal_apply_all_is_all_or_none() -> None:
    r = registry()
    before = pickle.loads(pickle.dumps(r))
    # The second event names an ente that is not registered: the first is not applied.
    with pytest.raises(cit.RegistryError) as info:
        r.apply_all([payment("P-1"), payment("P-2", payer="999999"), payment("P-3")], expected_version=5)
    e = info.value
    assert (e.code, e.path) == ("unknown_ente", "events[1].ente")
    assert str(e).startswith("events[1]: ")
    assert r == before and r.version == 5
    # An ente refused inside a batch raises the ente's own class, with its problems.
    with pytest.raises(cit.EnteError) as invalid:
        r.apply_all([payment("P-1"), {"type": "ente_registered", "ente": dict(acquafredda(), id=" ")}])
    assert (invalid.value.code, invalid.value.path) == ("invalid", "events[1].id")
    assert [p["path"] for p in invalid.value.problems] == ["id"]
    assert r == before
    # A step the state does not allow: TransitionError, at its position.
    with pytest.raises(cit.TransitionError) as transition:
        r.apply_all([payment("P-1"), payment("P-2"), {"type": "membership_approved", "membership": "A-1",
                     "delibera": {"number": "5/2021", "date": D(2021, 2, 1), "organ": "Giunta"}}])
    assert (transition.value.code, transition.value.path) == ("illegal_transition", "events[2].state")
    assert r == before
    assert r.apply_all([payment("P-1"), payment("P-2")], expected_version=5) == [
        {"outcome": "recorded", "seq": 5}, {"outcome": "recorded", "seq": 6}]
    assert r.version == 7
    assert r.apply_all([]) == [] and r.apply_all([], expected_version=7) == []


def test_r_journal_apply_all_names_a_malformed_event_and_changes_nothing() -> None:
    r = registry()
    before = r.to_json()
    with pytest.raises(cit.RegistryError) as unknown_type:
        r.apply_all([payment("P-1"), {"type": "payment_recieved"}])
    assert (unknown_type.value.code, unknown_type.value.path) == ("malformed", "events[1].type")
    assert str(unknown_type.value).startswith("events[1]: ")
    with pytest.raises(cit.RegistryError) as bad_json:
        r.apply_all([payment("P-1"), payment("P-2"), "{"])
    assert (bad_json.value.code, bad_json.value.path) == ("malformed", "events[2]")
    with pytest.raises(cit.RegistryError) as bad_field:
        r.apply_all([payment("P-1"), dict(payment("P-2"), amount="cento")])
    assert (bad_field.value.code, bad_field.value.path) == ("malformed", "events[1].amount")
    # Money as a float is refused before anything is read, with its position.
    with pytest.raises(cit.MoneyTypeError) as typed:
        r.apply_all([payment("P-1"), dict(payment("P-2"), amount=100.0)])
    assert typed.value.path == "events[1].amount"
    assert str(typed.value).startswith("events[1]: ") and "float" in str(typed.value)
    # The batch is a list of events, not one event or a journal's text.
    for not_a_list in [json.dumps([]), payment("P-1")]:
        with pytest.raises(cit.MoneyTypeError) as wrong:
            r.apply_all(not_a_list)
        assert wrong.value.path == "events"
    assert r.to_json() == before


def test_an_event_dict_is_read_exactly_or_refused_with_its_path() -> None:
    """An event given as a dict is read by the core as its JSON document would be (no JSON
    text in between): Decimal digits exact, dates as ISO, ints of any size, tuples as lists.
    Read in order, the first problem is refused where it is: a float, a datetime, a
    non-finite Decimal, a key that is not a str or a value of another type as a
    `CitTypeError`; a value of the wrong shape for the document as the core's `malformed`."""
    r = registry()
    recorded = r.apply(dict(payment("P-1"), amount=Decimal("100.10"), date=datetime.date(2016, 3, 1)))
    assert recorded == {"outcome": "recorded", "seq": 5}
    assert json.loads(r.to_json())[-1]["amount"] == "100.10"
    assert json.loads(r.to_json())[-1]["date"] == "2016-03-01"
    refusals = [
        (dict(payment("P-2"), amount=100.0), "amount", "float"),
        (dict(payment("P-2"), amount=Decimal("NaN")), "amount", "finite Decimal"),
        (dict(payment("P-2"), date=datetime.datetime(2016, 3, 1)), "date", "datetime"),
        (dict(payment("P-2"), amount={1: "x"}), "amount.?", "expected a str key"),
        (dict(payment("P-2"), amount={"x"}), "amount", "found set"),
    ]
    for event, path, why in refusals:
        with pytest.raises(cit.CitTypeError) as info:
            r.apply(event)
        assert (info.value.code, info.value.path) == ("wrong_type", path), event
        assert why in str(info.value) and str(info.value).startswith(f"`{path}`: ")
    for shape, path in [({"cents": [1, (2, 3.0)]}, "amount"), ([1, 2], "amount")]:
        with pytest.raises(cit.CitError) as malformed:
            r.apply(dict(payment("P-2"), amount=shape))
        assert (malformed.value.code, malformed.value.path) == ("malformed", path)
    with pytest.raises(cit.CitError) as top:
        r.apply([1.5])
    assert (top.value.code, top.value.path) == ("malformed", ".")
    # An int beyond any machine integer reaches the core, which refuses it as money.
    with pytest.raises(cit.RegistryError) as huge:
        r.apply(dict(payment("P-2"), amount=10**40))
    assert huge.value.path == "amount"
    assert r.version == 6


def test_r_journal_apply_all_retry_and_conflict() -> None:
    r = registry()
    batch = [payment("P-1"), payment("P-2", amount="50.00")]
    assert r.apply_all(batch, expected_version=5) == [
        {"outcome": "recorded", "seq": 5}, {"outcome": "recorded", "seq": 6}]
    before = r.to_json()
    # The same batch again at the same version (a lost acknowledgement): nothing changes.
    assert r.apply_all(batch, expected_version=5) == [
        {"outcome": "already_recorded", "seq": 5}, {"outcome": "already_recorded", "seq": 6}]
    # Another batch from a writer still at version 5: a conflict, nothing applied.
    with pytest.raises(cit.ConflictError) as info:
        r.apply_all([payment("P-3")], expected_version=5)
    assert (info.value.code, info.value.expected, info.value.actual) == ("version_conflict", 5, 7)
    # Part of the batch recorded, part new: not a retry either.
    with pytest.raises(cit.ConflictError):
        r.apply_all([payment("P-1"), payment("P-3")], expected_version=5)
    assert r.to_json() == before
    # Without a version, identical events are retries one by one.
    assert r.apply_all([payment("P-2", amount="50.00"), payment("P-3")]) == [
        {"outcome": "already_recorded", "seq": 6}, {"outcome": "recorded", "seq": 7}]


@pytest.mark.parametrize(
    "bad, cls, code",
    [(5.0, cit.MoneyTypeError, "wrong_type"), (True, cit.MoneyTypeError, "wrong_type"),
     ("5", cit.MoneyTypeError, "wrong_type"), (-1, cit.InvalidValueError, "invalid_value")],
)
def test_r_journal_expected_version_is_a_whole_number(bad: Any, cls: Type[cit.CitError], code: str) -> None:
    r = registry()
    for append in (lambda: r.apply(payment("P-1"), expected_version=bad),
                   lambda: r.apply_all([payment("P-1")], expected_version=bad)):
        with pytest.raises(cls) as info:
            append()
        assert (info.value.code, info.value.path) == (code, "expected_version")
    assert r.version == 5


def test_r_journal_a_refused_replay_names_the_position_and_raises_the_events_class() -> None:
    r = registry()
    events = json.loads(r.to_json())
    events[1]["ente"]["id"] = " "
    with pytest.raises(cit.EnteError) as info:
        cit.Registry.from_json(json.dumps(events))
    assert (info.value.code, info.value.path) == ("invalid", "[1].id")
    assert [p["path"] for p in info.value.problems] == ["id"]
    # A journal never holds the same event twice.
    events = json.loads(r.to_json())
    with pytest.raises(cit.RegistryError) as twice:
        cit.Registry.from_json(json.dumps(events + events[1:2]))
    assert (twice.value.code, twice.value.path) == ("duplicate_event", "[5].id")


def test_r_journal_conflict_error_pickles() -> None:
    r = registry()
    with pytest.raises(cit.ConflictError) as info:
        r.apply(payment("P-1"), expected_version=0)
    back = pickle.loads(pickle.dumps(info.value))
    assert (type(back), back.code, back.expected, back.actual, str(back)) == (
        cit.ConflictError, "version_conflict", 0, 5, str(info.value))


def test_r_journal_an_error_names_the_position_of_its_event() -> None:
    """`CitError.event`: the position of the refused event in a batch or a journal (the
    core's `Error::event_index`), so that a caller need not read it back from the path."""
    r = registry()
    before = r.version
    with pytest.raises(cit.CitError) as refused:
        r.apply_all([payment("P-8"), dict(payment("P-9"), payer="nobody")])
    assert refused.value.event == 1 and str(refused.value.path).startswith("events[1]")
    with pytest.raises(cit.CitError) as unreadable:
        r.apply_all([payment("P-8"), dict(payment("P-9"), amount="1.001")])
    assert (unreadable.value.event, unreadable.value.path) == (1, "events[1].amount")
    assert r.version == before
    journal = json.loads(r.to_json())
    journal[2]["date"] = "2021-13-01"
    with pytest.raises(cit.CitError) as replayed:
        cit.Registry.from_json(json.dumps(journal))
    assert (replayed.value.event, replayed.value.path) == (2, "[2].date")
    with pytest.raises(cit.CitError) as single:
        r.apply(dict(payment("P-9"), payer="nobody"))
    assert single.value.event is None
