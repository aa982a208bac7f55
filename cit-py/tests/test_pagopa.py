"""pagoPA through the wheel (R-NOTICE, R-RECONCILE): numeri avviso and IUVs, notices, GPD
debt positions, flussi di rendicontazione reconciled into ledger events."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest

import cit
import cit.pagopa
from conftest import tariff_text

D = datetime.date

CREDITOR: Dict[str, Any] = {
    "codice_fiscale": "80008750178", "name": "Provincia di Brescia", "segregation_code": "07",
    "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/",
    "categories": {"servizio": "9/0101108TS/"},
}
# Made up for the tests' enti, each with the right check digit (as in the core's tests).
CF = {"U1": "80003500172", "017001": "00413350174", "017002": "00413360173"}
FLOW_ID = "2021-03-15ABI03069-S0000001"

# A flusso di rendicontazione, the fuzz seed's layout (cit-core/fuzz/corpus/flow/seed-0),
# with the flow's id, receiver, count, total and payments filled in.
FLOW = """<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="{ns}">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>{id}</identificativoFlusso>
  <dataOraFlusso>2021-03-15T10:00:00</dataOraFlusso>
  <identificativoUnivocoRegolamento>Bonifico SEPA-03069-A0001</identificativoUnivocoRegolamento>
  <dataRegolamento>2021-03-15</dataRegolamento>
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
      <codiceIdentificativoUnivoco>{receiver}</codiceIdentificativoUnivoco>
    </identificativoUnivocoRicevente>
    <denominazioneRicevente>Provincia di Brescia</denominazioneRicevente>
  </istitutoRicevente>
  <numeroTotalePagamenti>{count}</numeroTotalePagamenti>
  <importoTotalePagamenti>{total}</importoTotalePagamenti>
{payments}</FlussoRiversamento>
"""

PAYMENT = """  <datiSingoliPagamenti>
    <identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>{iur}</identificativoUnivocoRiscossione>
    <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
    <singoloImportoPagato>{amount}</singoloImportoPagato>
    <codiceEsitoSingoloPagamento>{outcome}</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>2021-03-14</dataEsitoSingoloPagamento>
  </datiSingoliPagamenti>
"""

NS = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"


def flow_xml(
    payments: Sequence[Tuple[str, str, str, int]],
    *,
    flow_id: str = FLOW_ID,
    receiver: str = "80008750178",
    count: Optional[int] = None,
    total: Optional[str] = None,
    ns: str = NS,
) -> str:
    """A flow of `payments` (IUV, IUR, amount, esito); its count and total add up unless
    given."""
    lines = "".join(PAYMENT.format(iuv=i, iur=r, amount=a, outcome=o) for i, r, a, o in payments)
    return FLOW.format(
        ns=ns, id=flow_id, receiver=receiver,
        count=len(payments) if count is None else count,
        total=f"{sum(Decimal(a) for _, _, a, _ in payments):.2f}" if total is None else total,
        payments=lines,
    )


def ente(id: str, name: str, kind: str, abitanti: Optional[int] = None, imprese: Optional[int] = None,
         codice_fiscale: Optional[str] = None) -> Dict[str, Any]:
    e: Dict[str, Any] = {"id": id, "name": name, "kind": kind}
    if abitanti is not None:
        e["abitanti"], e["imprese"] = abitanti, imprese
    if codice_fiscale is not None:
        e["codice_fiscale"] = codice_fiscale
    return e


def billed_with_creditor() -> cit.Registry:
    """The core's worked scenario: the catalogue tariff, an Unione paying half of two
    comuni's quotas, the 2021 billing, the creditor and every codice fiscale. U1 owes
    € 898,50 in three shares, Acquafredda € 180,00, Adro € 418,50."""
    r = cit.Registry()
    r.apply({"type": "tariff_adopted", "tariff": json.loads(tariff_text("bs-2021-services.json"))})
    for e in (ente("U1", "Unione della Franciacorta", "unione"),
              ente("017001", "Acquafredda", "comune", 1_600, 120),
              ente("017002", "Adro", "comune", 4_200, 300)):
        r.apply({"type": "ente_registered", "ente": e})
    for m, id in (("A-U1", "U1"), ("A-1", "017001"), ("A-2", "017002")):
        r.apply({"type": "membership_requested", "membership": m, "ente": id, "date": D(2021, 1, 10)})
        r.apply({"type": "membership_approved", "membership": m,
                 "delibera": {"number": "1", "date": D(2021, 1, 20), "organ": "Consiglio"}})
        r.apply({"type": "convention_signed", "membership": m, "date": D(2021, 1, 25), "to": D(2025, 12, 31)})
    r.apply({"type": "payer_agreed", "capofila": "U1", "members": ["017001", "017002"],
             "share": {"kind": "percent", "percent": "50"}, "from_year": 2021})
    r.billing_run(2021, D(2021, 3, 1), D(2021, 4, 30))
    r.apply({"type": "creditor_registered", "creditor": CREDITOR})
    for id, cf in CF.items():
        r.apply({"type": "codice_fiscale_recorded", "ente": id, "codice_fiscale": cf})
    return r


def issued() -> cit.Registry:
    r = billed_with_creditor()
    assert r.apply({"type": "notices_issued", "year": 2021, "date": D(2021, 3, 2)})["outcome"] == "recorded"
    return r


def iuvs(lines: List[cit.types.FlowLine]) -> List[str]:
    return [line["iuv"] for line in lines]


def assert_money(value: object) -> None:
    assert type(value) is Decimal, f"{value!r} is not a Decimal"


def assert_date(value: object) -> None:
    assert type(value) is datetime.date, f"{value!r} is not a datetime.date"


# R-NOTICE: the numbers


def test_r_notice_number_and_iuv_of_the_specification() -> None:
    assert cit.pagopa.notice_number(segregation_code="07", base="0000000012345") == "307000000001234573"
    assert cit.pagopa.iuv(segregation_code="07", base="0000000012345") == "07000000001234573"
    # The check digits: the 16 preceding digits modulo 93, zero-padded.
    assert 3_070_000_000_012_345 % 93 == 73
    assert cit.pagopa.notice_number(segregation_code="00", base="0000000000001") == "300000000000000104"
    assert cit.pagopa.valid_notice_number("307000000001234573")
    assert cit.pagopa.valid_iuv("07000000001234573")
    for bad in ("307000000001234572", "207000000001234573", "30700000000123457", "357000000001234573"):
        assert not cit.pagopa.valid_notice_number(bad), bad
    for bad in ("07000000001234574", "0700000000123457", "57000000001234573", "0700000000123457x"):
        assert not cit.pagopa.valid_iuv(bad), bad


def test_r_notice_refuses_a_bad_segregation_code_or_base_with_its_path() -> None:
    for code, base, path in (("50", "0000000012345", "segregation_code"), ("7", "0000000012345", "segregation_code"),
                             ("07", "000000001234", "base"), ("07", "000000001234x", "base")):
        with pytest.raises(cit.InvalidValueError) as e:
            cit.pagopa.notice_number(segregation_code=code, base=base)
        assert (e.value.code, e.value.path) == ("invalid_value", path)
        with pytest.raises(cit.InvalidValueError):
            cit.pagopa.iuv(segregation_code=code, base=base)


def test_r_notice_codice_fiscale_check_digit() -> None:
    for ok in ("80008750178", "00761890177", "01199250158", *CF.values()):
        assert cit.pagopa.valid_codice_fiscale(ok), ok
    for bad in ("80008750179", "8000875017", "800087501780", "8000875017A", "", " 80008750178"):
        assert not cit.pagopa.valid_codice_fiscale(bad), bad


def test_r_notice_bad_argument_types_raise_type_error() -> None:
    with pytest.raises(TypeError):
        cit.pagopa.valid_codice_fiscale(80008750178)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cit.pagopa.notice_number(segregation_code=7, base="0000000012345")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cit.pagopa.notice_number("07", "0000000012345")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        cit.pagopa.read_flow(b"<FlussoRiversamento/>")  # type: ignore[arg-type]
    r = issued()
    with pytest.raises(TypeError):
        r.notices("2021")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        r.reconcile_flow(None)  # type: ignore[arg-type]


def test_r_notice_an_ente_with_a_bad_codice_fiscale_is_refused_at_codice_fiscale() -> None:
    tariff = cit.Tariff.from_json(tariff_text("bs-2021-services.json"))
    good = ente("017001", "Acquafredda", "comune", 1_600, 120, "00413350174")
    assert tariff.quote(good, 2021).total == Decimal("360.00")
    with pytest.raises(cit.EnteError) as e:
        tariff.quote({**good, "codice_fiscale": "00413350175"}, 2021)
    assert e.value.path == "codice_fiscale"
    assert "00413350175" in str(e.value)
    with pytest.raises(cit.MoneyTypeError) as t:
        tariff.quote({**good, "codice_fiscale": 413350174}, 2021)
    assert t.value.path == "codice_fiscale"
    r = cit.Registry()
    with pytest.raises(cit.EnteError) as refused:
        r.apply({"type": "ente_registered", "ente": {**good, "codice_fiscale": "00413350175"}})
    assert (refused.value.code, refused.value.path) == ("invalid", "codice_fiscale")
    assert len(r) == 0


# R-NOTICE: the registry's notices and debt positions


def test_r_notice_every_open_share_gets_one_number_once() -> None:
    r = billed_with_creditor()
    assert r.notices(2021) == []
    assert r.apply({"type": "notices_issued", "year": 2021, "date": D(2021, 3, 2)})["outcome"] == "recorded"
    notices = r.notices(2021)
    assert [(n["charge"], n["payer"], n["amount"]) for n in notices] == [
        ("Q2021-017001", "U1", Decimal("180.00")),
        ("Q2021-017001", "017001", Decimal("180.00")),
        ("Q2021-017002", "U1", Decimal("418.50")),
        ("Q2021-017002", "017002", Decimal("418.50")),
        ("Q2021-U1", "U1", Decimal("300.00")),
    ]
    for k, n in enumerate(notices, start=1):
        assert set(n) == {"charge", "payer", "payer_name", "codice_fiscale", "notice_number", "iuv", "amount",
                          "due", "year", "issued", "status"}
        assert n["notice_number"] == cit.pagopa.notice_number(segregation_code="07", base=f"{k:013}")
        assert n["iuv"] == n["notice_number"][1:]
        assert n["codice_fiscale"] == CF[n["payer"]]
        assert (n["due"], n["issued"], n["year"], n["status"]) == (D(2021, 4, 30), D(2021, 3, 2), 2021, "open")
        assert_money(n["amount"])
        assert_date(n["due"])
        assert_date(n["issued"])
        assert r.notice(n["iuv"]) == n
    assert notices[0]["payer_name"] == "Unione della Franciacorta"
    # Issued once: again, nothing; after a replay, the same numbers.
    assert r.apply({"type": "notices_issued", "year": 2021, "date": D(2021, 3, 3)}) == {"outcome": "unchanged"}
    assert cit.Registry.from_json(r.to_json()).notices(2021) == notices
    assert r.notices(2022) == []
    assert r.notice("07000000000009999") is None


def test_r_notice_creditor_is_the_profile_or_none() -> None:
    assert cit.Registry().creditor() is None
    r = billed_with_creditor()
    assert r.creditor() == CREDITOR
    plain = {k: v for k, v in CREDITOR.items() if k != "categories"}
    r.apply({"type": "creditor_registered", "creditor": plain})
    assert r.creditor() == plain, "categories is absent when empty, as in its JSON"
    with pytest.raises(cit.CitError) as e:
        r.apply({"type": "creditor_registered", "creditor": {**plain, "iban": "IT61X0542811101000000123456"}})
    assert e.value.code == "invalid"
    assert [p["path"] for p in e.value.problems] == ["iban"]


def test_r_notice_needs_a_creditor() -> None:
    r = cit.Registry()
    with pytest.raises(cit.InvalidValueError) as e:
        r.apply({"type": "notices_issued", "year": 2021, "date": D(2021, 3, 2)})
    assert e.value.path == "creditor"
    with pytest.raises(cit.InvalidValueError) as e:
        r.reconcile_flow(flow_xml([("07000000000000105", "IUR-A", "180.00", 0)]))
    assert e.value.path == "creditor"
    assert r.debt_positions(2021) == []


def test_r_notice_debt_positions_are_the_gpd_json() -> None:
    r = issued()
    positions = r.debt_positions(2021)
    notices = r.notices(2021)
    explanation = {c["id"]: c["explanation"] for c in r.charges()}
    assert len(positions) == len(notices) == 5
    for p, n in zip(positions, notices):
        assert list(p) == ["iupd", "type", "fiscalCode", "fullName", "companyName", "switchToExpired",
                           "paymentOption"]
        [option] = p["paymentOption"]
        cents = int(n["amount"] * 100)
        description = explanation[n["charge"]]
        expected = {
            "iupd": f"CIT-{n['iuv']}", "type": "G", "fiscalCode": n["codice_fiscale"],
            "fullName": n["payer_name"], "companyName": "Provincia di Brescia", "switchToExpired": False,
            "paymentOption": [{
                "iuv": n["iuv"], "amount": cents,
                "description": description if len(description) <= 140 else option["description"],
                "isPartialPayment": False, "dueDate": "2021-04-30T23:59:59", "fee": 0,
                "transfer": [{
                    "idTransfer": "1", "amount": cents, "organizationFiscalCode": "80008750178",
                    "remittanceInformation": f"Quota di adesione 2021 {n['charge']}",
                    "category": "9/0101002IM/", "iban": "IT60X0542811101000000123456",
                }],
            }],
        }
        assert p == expected
        assert type(option["amount"]) is int and type(option["fee"]) is int
        assert len(option["description"]) <= 140
    # The document as the core writes it: the same keys in the same order.
    text = json.dumps(positions[0], separators=(",", ":"), ensure_ascii=False)
    for key in ('{"iupd":"CIT-', '"type":"G","fiscalCode":"80003500172"', '"fullName":"Unione della Franciacorta"',
                '"paymentOption":[{"iuv":', '"amount":18000', '"isPartialPayment":false',
                '"dueDate":"2021-04-30T23:59:59"', '"transfer":[{"idTransfer":"1"',
                '"remittanceInformation":"Quota di adesione 2021 Q2021-017001"'):
        assert key in text, key
    assert json.loads(text) == positions[0]


def test_r_notice_csv_for_the_office() -> None:
    r = issued()
    notices = r.notices(2021)
    lines = r.notices_csv(2021).splitlines()
    assert lines[0] == "pagatore;denominazione;codice_fiscale;numero_avviso;importo;scadenza;addebito;stato"
    assert len(lines) == len(notices) + 1
    assert f"017002;Adro;00413360173;{notices[3]['notice_number']};418,50;30/04/2021;Q2021-017002;open" in lines


def test_r_notice_a_reversed_charge_withdraws_its_notices() -> None:
    r = issued()
    r.apply({"type": "charge_reversed", "charge": "Q2021-017002", "date": D(2021, 3, 10), "reason": "abitanti errati"})
    assert [n["status"] for n in r.notices(2021)] == ["open", "open", "withdrawn", "withdrawn", "open"]
    assert len(r.debt_positions(2021)) == 3


def test_r_notice_a_girofondo_has_channel_tesoreria() -> None:
    r = billed_with_creditor()
    girofondo = {"type": "payment_received", "payment": "TU-2021-0001", "payer": "017002", "date": D(2021, 4, 2),
                 "amount": Decimal("418.50"), "charge": "Q2021-017002",
                 "channel": {"kind": "tesoreria", "causale": "Quota CIT 2021"}}
    with pytest.raises(cit.InvalidValueError) as e:
        r.apply(girofondo)
    assert e.value.path == "channel.causale"
    causale = "GIROFONDO CIT BRESCIA Q2021-017002 QUOTA 2021"
    r.apply({**girofondo, "channel": {"kind": "tesoreria", "causale": causale}})
    [payment] = r.payments()
    assert payment["channel"] == {"kind": "tesoreria", "causale": causale}
    assert_money(payment["amount"])
    assert_date(payment["date"])
    assert r.balance("017002", D(2021, 12, 31))["outstanding"] == Decimal("0.00")
    # The share paid by girofondo gets no notice.
    r.apply({"type": "notices_issued", "year": 2021, "date": D(2021, 4, 3)})
    assert "017002" not in {n["payer"] for n in r.notices(2021)}


# R-RECONCILE


def test_r_reconcile_read_flow_gives_decimal_and_date() -> None:
    xml = flow_xml([("07000000000000105", "IUR-A", "180.00", 0), ("07000000000000202", "IUR-B", "-20.50", 3)])
    flow = cit.pagopa.read_flow(xml)
    assert list(flow) == ["version", "id", "date_time", "regulation", "regulation_date", "sender", "bic",
                          "receiver", "count", "total", "payments"]
    assert flow["date_time"] == "2021-03-15T10:00:00"
    assert flow["regulation_date"] == D(2021, 3, 15)
    assert_date(flow["regulation_date"])
    assert flow["sender"] == {"id_type": "B", "code": "BCITITMM", "name": "Intesa Sanpaolo"}
    assert flow["receiver"]["code"] == "80008750178"
    assert flow["bic"] is None
    assert (flow["count"], flow["total"]) == (2, Decimal("159.50"))
    assert_money(flow["total"])
    assert flow["payments"][1] == {"iuv": "07000000000000202", "iur": "IUR-B", "index": 1,
                                   "amount": Decimal("-20.50"), "outcome": "revoked", "date": D(2021, 3, 14)}
    for p in flow["payments"]:
        assert_money(p["amount"])
        assert_date(p["date"])
    seed = cit.pagopa.read_flow(xml.replace("<dataOraFlusso>2021-03-15T10:00:00", "<dataOraFlusso>2021-03-15T10:00:00.250"))
    assert seed["date_time"] == "2021-03-15T10:00:00.250"


@pytest.mark.parametrize(
    "xml, path",
    [
        # Not well-formed: the last payment's end tag is missing.
        (flow_xml([("07000000000000105", "IUR-A", "180.00", 0)]).replace("</datiSingoliPagamenti>", ""),
         "FlussoRiversamento/datiSingoliPagamenti[1]"),
        # The right names in another namespace.
        (flow_xml([("07000000000000105", "IUR-A", "180.00", 0)], ns="http://example.org/other/"), "."),
        # Three decimals.
        (flow_xml([("07000000000000105", "IUR-A", "180.00", 0), ("07000000000000202", "IUR-B", "12.345", 0)],
                  total="192.34"),
         "FlussoRiversamento/datiSingoliPagamenti[2]/singoloImportoPagato"),
    ],
    ids=["malformed_xml", "wrong_namespace", "three_decimals"],
)
def test_r_reconcile_refuses_a_malformed_flow_with_the_element_path(xml: str, path: str) -> None:
    with pytest.raises(cit.CitError) as e:
        cit.pagopa.read_flow(xml)
    assert (e.value.code, e.value.path) == ("malformed", path), str(e.value)
    assert type(e.value) is cit.CitError, "a flow is a document like any other"
    r = issued()
    before = r.version
    with pytest.raises(cit.CitError) as again:
        r.reconcile_flow(xml)
    assert (again.value.code, again.value.path) == ("malformed", path)
    assert r.version == before


def test_r_reconcile_books_paid_and_revoked_once_and_reports_the_rest() -> None:
    r = issued()
    n = r.notices(2021)
    unknown = cit.pagopa.iuv(segregation_code="07", base="0000000000099")
    xml = flow_xml([
        (n[1]["iuv"], "IUR-A", "180.00", 0),  # Acquafredda's half
        (n[3]["iuv"], "IUR-B", "418.50", 9),  # Adro's half, paid without a receipt
        (n[4]["iuv"], "IUR-C", "299.99", 0),  # a cent short
        (unknown, "IUR-D", "50.00", 0),
    ])
    report = r.reconcile_flow(xml)
    assert list(report) == ["flow", "accepted", "matched", "mismatched", "unknown", "already_recorded", "problems",
                            "events"]
    assert report["accepted"]
    assert report["flow"] == {"id": FLOW_ID, "date_time": "2021-03-15T10:00:00",
                              "regulation": "Bonifico SEPA-03069-A0001", "regulation_date": D(2021, 3, 15),
                              "sender": "BCITITMM", "receiver": "80008750178", "count": 4,
                              "total": Decimal("948.49")}
    assert iuvs(report["matched"]) == [n[1]["iuv"], n[3]["iuv"]]
    assert iuvs(report["mismatched"]) == [n[4]["iuv"]]
    assert report["mismatched"][0]["expected"] == Decimal("300.00")
    assert iuvs(report["unknown"]) == [unknown]
    assert report["unknown"][0]["charge"] is None and report["unknown"][0]["expected"] is None
    assert report["already_recorded"] == [] and report["problems"] == []
    assert report["matched"][0] == {
        "position": 1, "iuv": n[1]["iuv"], "iur": "IUR-A", "index": 1, "amount": Decimal("180.00"),
        "outcome": "paid", "date": D(2021, 3, 14), "charge": "Q2021-017001", "payer": "017001",
        "expected": Decimal("180.00"), "payment": f"PA-{n[1]['iuv']}-IUR-A-1",
    }
    assert report["matched"][1]["outcome"] == "paid_without_receipt"
    assert len(report["events"]) == 2
    assert report["events"][0] == {
        "type": "payment_received", "payment": f"PA-{n[1]['iuv']}-IUR-A-1", "payer": "017001",
        "date": D(2021, 3, 14), "amount": Decimal("180.00"), "charge": "Q2021-017001",
        "channel": {"kind": "pagopa", "iuv": n[1]["iuv"], "iur": "IUR-A", "index": 1, "flow": FLOW_ID},
    }
    # Nothing is booked until the events are applied; they are applied as they are.
    assert r.balance("017001", D(2021, 12, 31))["paid"] == Decimal("0.00")
    for event in report["events"]:
        assert r.apply(event)["outcome"] == "recorded"
    assert r.balance("017001", D(2021, 12, 31))["outstanding"] == Decimal("0.00")
    assert r.balance("017002", D(2021, 12, 31))["paid"] == Decimal("418.50")
    assert r.notices(2021)[1]["status"] == "paid"
    assert len(r.debt_positions(2021)) == 3
    paid = r.payments()
    assert [p["channel"] for p in paid] == [e["channel"] for e in report["events"]]  # type: ignore[typeddict-item]
    # Applying the events again is a retry: nothing changes.
    version = r.version
    for event in report["events"]:
        assert r.apply(event)["outcome"] == "already_recorded"
    assert r.version == version
    # The journal replays to the same books.
    assert cit.Registry.from_json(r.to_json()) == r


def test_r_reconcile_the_same_flow_twice_books_nothing() -> None:
    r = issued()
    n = r.notices(2021)
    xml = flow_xml([(n[1]["iuv"], "IUR-A", "180.00", 0), (n[3]["iuv"], "IUR-B", "418.50", 0)])
    for event in r.reconcile_flow(xml)["events"]:
        r.apply(event)
    again = r.reconcile_flow(xml)
    assert again["accepted"]
    assert again["events"] == [] and again["matched"] == []
    assert iuvs(again["already_recorded"]) == [n[1]["iuv"], n[3]["iuv"]]
    assert again["already_recorded"][0]["payment"] == f"PA-{n[1]['iuv']}-IUR-A-1"
    # Another flow reporting the same payment (same IUV, IUR and index) is no new payment.
    other = r.reconcile_flow(flow_xml([(n[1]["iuv"], "IUR-A", "180.00", 0)], flow_id="2021-03-16ABI03069-S0000002"))
    assert other["events"] == [] and len(other["already_recorded"]) == 1


def test_r_reconcile_a_revocation_reverses_the_payment_and_reopens_the_share() -> None:
    r = issued()
    n = r.notices(2021)
    for event in r.reconcile_flow(flow_xml([(n[3]["iuv"], "IUR-B", "418.50", 0)]))["events"]:
        r.apply(event)
    revocation = flow_xml([(n[3]["iuv"], "IUR-B", "-418.50", 3)], flow_id="2021-03-20ABI03069-S0000002")
    report = r.reconcile_flow(revocation)
    assert report["accepted"] and len(report["matched"]) == 1
    assert report["matched"][0]["outcome"] == "revoked"
    paid = f"PA-{n[3]['iuv']}-IUR-B-1"
    assert report["events"] == [{
        "type": "payment_reversed", "id": f"{paid}:revoca", "payment": paid, "date": D(2021, 3, 14),
        "reason": "Pagamento revocato (esito 3) nel flusso di rendicontazione 2021-03-20ABI03069-S0000002",
    }]
    for event in report["events"]:
        r.apply(event)
    adro = r.balance("017002", D(2021, 12, 31))
    assert (adro["paid"], adro["outstanding"]) == (Decimal("0.00"), Decimal("418.50"))
    assert r.notice(n[3]["iuv"])["status"] == "open"  # type: ignore[index]
    reversal = r.payments()[-1]
    assert (reversal["id"], reversal["amount"], reversal["reverses"]) == (f"{paid}:revoca", Decimal("-418.50"), paid)
    assert reversal["channel"] is None
    again = r.reconcile_flow(revocation)
    assert again["events"] == [] and len(again["already_recorded"]) == 1
    # A revocation of a payment never booked: reported, not booked.
    nothing = r.reconcile_flow(flow_xml([(n[4]["iuv"], "IUR-G", "-300.00", 3)]))
    assert nothing["events"] == [] and len(nothing["mismatched"]) == 1
    assert nothing["problems"][0]["path"] == "FlussoRiversamento/datiSingoliPagamenti[1]"


def test_r_reconcile_a_flow_whose_totals_do_not_add_up_gives_no_events() -> None:
    r = issued()
    n = r.notices(2021)
    report = r.reconcile_flow(flow_xml([(n[1]["iuv"], "IUR-A", "180.00", 0)], count=2, total="180.01"))
    assert not report["accepted"]
    assert report["events"] == []
    assert len(report["matched"]) == 1, "what matched is still shown"
    assert [p["path"] for p in report["problems"]] == [
        "FlussoRiversamento/numeroTotalePagamenti", "FlussoRiversamento/importoTotalePagamenti"]
    assert report["problems"][1]["found"] == "180.01"
    # A flow for another body: nothing booked either.
    other = r.reconcile_flow(flow_xml([(n[1]["iuv"], "IUR-A", "180.00", 0)], receiver="00123456014"))
    assert not other["accepted"] and other["events"] == []
    assert other["problems"][0]["path"].endswith("codiceIdentificativoUnivoco")
    assert r.payments() == []


def test_r_reconcile_money_is_decimal_and_dates_are_date_everywhere() -> None:
    r = issued()
    n = r.notices(2021)
    report = r.reconcile_flow(flow_xml([
        (n[1]["iuv"], "IUR-A", "180.00", 0), (n[4]["iuv"], "IUR-C", "299.99", 0),
        (cit.pagopa.iuv(segregation_code="07", base="0000000000099"), "IUR-D", "50.00", 0),
    ]))
    assert_money(report["flow"]["total"])
    assert_date(report["flow"]["regulation_date"])
    assert type(report["flow"]["date_time"]) is str
    for group in ("matched", "mismatched", "unknown"):
        for line in report[group]:
            assert_money(line["amount"])
            assert_date(line["date"])
            assert line["expected"] is None or type(line["expected"]) is Decimal
    for event in report["events"]:
        assert_date(event["date"])
        if event["type"] == "payment_received":
            assert_money(event["amount"])
        r.apply(event)
    for p in r.payments():
        assert_money(p["amount"])
        assert_date(p["date"])
    for notice in r.notices(2021):
        assert_money(notice["amount"])
    assert json.loads(r.to_json())[-1]["amount"] == "180.00", "the journal still writes money as text"
