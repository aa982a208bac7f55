#!/usr/bin/env python3
"""Writes cases.json: malformed documents that every binding must refuse with the same
error code (and JSON path, where one is given), without panicking, aborting or hanging.

    python3 tests/bad-input/generate.py          # rewrite cases.json
    python3 tests/bad-input/generate.py --check  # fail if cases.json is stale

A case: `name`, `document` (`tariff`, `registry` or `board` — the documents every binding
reads with `from_json` —, `flow`, a FlussoRiversamento XML text read by
`cit_core::pagopa::Flow::from_xml`, Python's `cit.pagopa.read_flow`, JavaScript's `readFlow`,
or `cost`, a service cost `{setup, amortisation_years, running}` priced for 60 enti (R-COST)
by `ServiceCost::break_even`, Python's `cit.break_even` and JavaScript's `breakEven`), the text — either `text`, or a recipe `prefix` +
`fill` × `times` + `suffix` for the multi-megabyte and deeply nested ones —, and the expected
`code` and, where it is stable across parsers, `path`. Runners: tests/bad_input.rs (Rust),
cit-py/tests/test_bad_input.py (Python, through the wheel), cit-wasm/test/bad_input.test.mjs
(JavaScript, through the built package).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARIFF = json.loads((ROOT / "examples" / "tariffs" / "bs-2015.json").read_text())
BOARD = {
    "id": "ts", "kind": "strategico", "name": "Tavolo", "president": "a",
    "members": [{"ente": "a", "representative": "A"}, {"ente": "b", "representative": "B"},
                {"ente": "c", "representative": "C"}],
    "meetings": [{"date": "2026-11-18", "present": ["a", "b", "c"],
                  "motions": [{"id": "1", "title": "Quota", "votes": {"a": "yes", "b": "no", "c": "yes"}}]}],
}
ENTE = {"id": "017001", "name": "Acquafredda", "kind": "comune", "abitanti": 1600, "imprese": 120}


def tariff_with(path: str, value, delete: bool = False) -> str:
    doc = json.loads(json.dumps(TARIFF))
    keys = path.split(".")
    node = doc
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last = keys[-1]
    if delete:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return json.dumps(doc)


def board_with(mutate) -> str:
    doc = json.loads(json.dumps(BOARD))
    mutate(doc)
    return json.dumps(doc)


# A flusso di rendicontazione with two payments (pagoPA's namespace as the default one).
FLOW = """<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>2021-03-15BCITITMM-S0000001</identificativoFlusso>
  <dataOraFlusso>2021-03-15T10:00:00</dataOraFlusso>
  <identificativoUnivocoRegolamento>Bonifico SEPA-03069-A0001</identificativoUnivocoRegolamento>
  <dataRegolamento>2021-03-15</dataRegolamento>
  <istitutoMittente>
    <identificativoUnivocoMittente>
      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>BCITITMM</codiceIdentificativoUnivoco>
    </identificativoUnivocoMittente>
  </istitutoMittente>
  <istitutoRicevente>
    <identificativoUnivocoRicevente>
      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>80008750178</codiceIdentificativoUnivoco>
    </identificativoUnivocoRicevente>
  </istitutoRicevente>
  <numeroTotalePagamenti>2</numeroTotalePagamenti>
  <importoTotalePagamenti>660.00</importoTotalePagamenti>
  <datiSingoliPagamenti>
    <identificativoUnivocoVersamento>07000000000000105</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>IUR-A</identificativoUnivocoRiscossione>
    <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
    <singoloImportoPagato>360.00</singoloImportoPagato>
    <codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>2021-03-14</dataEsitoSingoloPagamento>
  </datiSingoliPagamenti>
  <datiSingoliPagamenti>
    <identificativoUnivocoVersamento>07000000000000206</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>IUR-B</identificativoUnivocoRiscossione>
    <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
    <singoloImportoPagato>300.00</singoloImportoPagato>
    <codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>2021-03-14</dataEsitoSingoloPagamento>
  </datiSingoliPagamenti>
</FlussoRiversamento>
"""
FLOW_PATH = "FlussoRiversamento"
PAYMENT_PATH = "FlussoRiversamento/datiSingoliPagamenti"


def flow_with(old: str, new: str, count: int = 1) -> str:
    """The sample flow with the first `count` occurrences of `old` replaced; `old` must be there."""
    assert old in FLOW, old
    return FLOW.replace(old, new, count)


def second_payment_with(old: str, new: str) -> str:
    """The sample flow with `old` replaced in its second payment only."""
    at = FLOW.rindex("<datiSingoliPagamenti>")
    assert old in FLOW[at:], old
    return FLOW[:at] + FLOW[at:].replace(old, new, 1)


COST = {"setup": "150000.00", "amortisation_years": 5, "running": "45000.00"}


def cost_with(**fields) -> str:
    return json.dumps(dict(COST, **fields))


def journal(*events) -> str:
    return json.dumps([{"type": "ente_registered", "ente": ENTE}, *events])


TARIFF_TEXT = json.dumps(TARIFF)
CASES = [
    # --- tariffs: not JSON, or not the shape of one
    ("tariff", "empty text", "", "malformed", "."),
    ("tariff", "null", "null", "malformed", "."),
    ("tariff", "an array", "[]", "malformed", "."),
    ("tariff", "a number", "42", "malformed", "."),
    ("tariff", "truncated after 1 character", TARIFF_TEXT[:1], "malformed", None),
    ("tariff", "truncated in the middle", TARIFF_TEXT[: len(TARIFF_TEXT) // 2], "malformed", None),
    ("tariff", "truncated before the last brace", TARIFF_TEXT[:-1], "malformed", None),
    ("tariff", "trailing garbage", TARIFF_TEXT + " x", "malformed", "."),
    ("tariff", "two documents", TARIFF_TEXT + TARIFF_TEXT, "malformed", "."),
    ("tariff", "NaN literal", tariff_with("membership.comune.per_abitante", "__NAN__").replace('"__NAN__"', "NaN"), "malformed", None),
    ("tariff", "unknown top-level field", tariff_with("colour", "blue"), "malformed", "colour"),
    ("tariff", "misspelt minimum", tariff_with("membership.comune.minimun", "50.00"), "malformed", "membership.comune.minimun"),
    ("tariff", "missing name", tariff_with("name", None, delete=True), "malformed", "."),
    ("tariff", "missing per_impresa", tariff_with("membership.comune.per_impresa", None, delete=True), "malformed", "membership.comune"),
    ("tariff", "id is a number", tariff_with("id", 7), "malformed", "id"),
    ("tariff", "rate is a boolean", tariff_with("membership.comune.per_abitante", True), "malformed", "membership.comune.per_abitante"),
    ("tariff", "rate is text", tariff_with("membership.comune.per_abitante", "abc"), "malformed", "membership.comune.per_abitante"),
    ("tariff", "rate in exponent notation", tariff_with("membership.comune.per_abitante", "1.5e-1"), "malformed", "membership.comune.per_abitante"),
    ("tariff", "rate with 40 digits", tariff_with("membership.comune.per_abitante", "0." + "1" * 40), "malformed", "membership.comune.per_abitante"),
    ("tariff", "rate with two points", tariff_with("membership.comune.per_abitante", "0.1.5"), "malformed", "membership.comune.per_abitante"),
    ("tariff", "rate as an object", tariff_with("membership.comune.per_abitante", {"value": 1}), "malformed", "membership.comune.per_abitante"),
    ("tariff", "minimum with a fraction of a cent", tariff_with("membership.comune.minimum", "50.001"), "malformed", "membership.comune.minimum"),
    ("tariff", "fixed quota with a fraction of a cent (JSON number)", tariff_with("membership.fixed.unione", "__N__").replace('"__N__"', "300.005"), "malformed", "membership.fixed.unione"),
    ("tariff", "band bound negative", tariff_with("membership.comune.bands.0.up_to", -3000), "malformed", "membership.comune.bands[0].up_to"),
    ("tariff", "band bound a fraction", tariff_with("membership.comune.bands.0.up_to", 2999.5), "malformed", "membership.comune.bands[0].up_to"),
    ("tariff", "band bound past u64", tariff_with("membership.comune.bands.0.up_to", 10**30), "malformed", "membership.comune.bands[0].up_to"),
    ("tariff", "unknown band mode", tariff_with("membership.comune.band_mode", "linear"), "malformed", "membership.comune.band_mode"),
    ("tariff", "unknown proration", tariff_with("membership.proration", "weekly"), "malformed", "membership.proration"),
    ("tariff", "a fixed quota for comuni", tariff_with("membership.fixed.comune", "300.00"), "malformed", "membership.fixed.comune"),
    ("tariff", "month 13", tariff_with("period.from", "2015-13-01"), "malformed", "period.from"),
    ("tariff", "30 February", tariff_with("period.to", "2020-02-30"), "malformed", "period.to"),
    ("tariff", "year 10000", tariff_with("period.to", "10000-01-01"), "malformed", "period.to"),
    ("tariff", "two-digit year (not the year 21)", tariff_with("period.from", "21-01-01"), "malformed", "period.from"),
    ("tariff", "month without its zero", tariff_with("period.from", "2021-1-01"), "malformed", "period.from"),
    ("tariff", "date with a space", tariff_with("period.from", "2021-01-01 "), "malformed", "period.from"),
    ("tariff", "counts_as_of in words", tariff_with("counts_as_of", "yesterday"), "malformed", "counts_as_of"),
    ("tariff", "duplicate field", TARIFF_TEXT.replace('"name":', '"id": "again", "name":', 1), "malformed", None),
    ("tariff", "empty id", tariff_with("id", ""), "invalid", "id"),
    ("tariff", "negative rate", tariff_with("membership.comune.per_abitante", "-0.15"), "invalid", "membership.comune.per_abitante"),
    ("tariff", "period ends before it starts", tariff_with("period.to", "2014-12-31"), "invalid", "period.to"),
    ("tariff", "maximum below the minimum", tariff_with("membership.comune.maximum", "10.00"), "invalid", "membership.comune.maximum"),
    ("tariff", "bands out of order", tariff_with("membership.comune.bands.1.up_to", 2000), "invalid", "membership.comune.bands[1].up_to"),
    ("tariff", "last band not open", tariff_with("membership.comune.bands.2.up_to", 50000), "invalid", "membership.comune.bands[2].up_to"),
    ("tariff", "open band in the middle", tariff_with("membership.comune.bands.1.up_to", None), "invalid", "membership.comune.bands[1].up_to"),
    ("tariff", "no bands", tariff_with("membership.comune.bands", []), "invalid", "membership.comune.bands"),
    ("tariff", "negative discount", tariff_with("membership.comune.bands.1.discount", "-0.1"), "invalid", "membership.comune.bands[1].discount"),
    ("tariff", "negative fixed quota", tariff_with("membership.fixed.unione", "-300.00"), "invalid", "membership.fixed.unione"),
    # --- decimal text, the one reader of every binding (cit_core::decimal::parse): no plus sign,
    # spaces, exponent or separators, in a document and in an argument alike
    ("cost", "setup with a plus sign", cost_with(setup="+150000.00"), "malformed", "setup"),
    ("cost", "setup with a leading space", cost_with(setup=" 150000"), "malformed", "setup"),
    ("cost", "setup with a trailing space", cost_with(setup="150000 "), "malformed", "setup"),
    ("cost", "setup in exponent notation", cost_with(setup="1e5"), "malformed", "setup"),
    ("cost", "setup with a digit separator", cost_with(setup="1_000"), "malformed", "setup"),
    ("cost", "running with a plus sign", cost_with(running="+45000.00"), "malformed", "running"),
    ("cost", "running with a fraction of a cent", cost_with(running="45000.001"), "malformed", "running"),
    ("tariff", "rate with a plus sign", tariff_with("membership.comune.per_abitante", "+0.15"), "malformed", "membership.comune.per_abitante"),
    ("tariff", "rate with a space", tariff_with("membership.comune.per_abitante", " 0.15"), "malformed", "membership.comune.per_abitante"),
    ("registry", "payment with a space", journal({"type": "payment_received", "payment": "P", "payer": "017001", "date": "2021-04-01", "amount": "12.50 "}), "malformed", "[1].amount"),
    # --- registry journals
    ("registry", "not an array", "{}", "malformed", "."),
    ("registry", "truncated", journal()[:-3], "malformed", None),
    ("registry", "event without a type", json.dumps([{"ente": ENTE}]), "malformed", "[0]"),
    ("registry", "unknown event type", json.dumps([{"type": "ente_deleted", "ente": "x"}]), "malformed", "[0].type"),
    ("registry", "event with an unknown field", json.dumps([{"type": "ente_registered", "ente": ENTE, "by": "me"}]), "malformed", "[0].by"),
    ("registry", "ente with negative abitanti", json.dumps([{"type": "ente_registered", "ente": dict(ENTE, abitanti=-1)}]), "malformed", "[0].ente.abitanti"),
    ("registry", "payment with a fraction of a cent", journal({"type": "payment_received", "payment": "P", "payer": "017001", "date": "2021-04-01", "amount": "12.345"}), "malformed", "[1].amount"),
    ("registry", "29 February 2021", journal({"type": "membership_requested", "membership": "A", "ente": "017001", "date": "2021-02-29"}), "malformed", "[1].date"),
    ("registry", "membership of an unknown ente", journal({"type": "membership_requested", "membership": "A", "ente": "999999", "date": "2021-01-10"}), "unknown_ente", None),
    ("registry", "the same ente twice", journal({"type": "ente_registered", "ente": ENTE}), "duplicate_event", None),
    ("registry", "approving a membership never requested", journal({"type": "membership_approved", "membership": "A", "delibera": {"number": "1", "date": "2021-01-20", "organ": "Giunta"}}), "unknown_entry", None),
    # --- boards
    ("board", "truncated", json.dumps(BOARD)[:40], "malformed", None),
    ("board", "unknown kind", board_with(lambda b: b.update(kind="strategic")), "malformed", "kind"),
    ("board", "member without an ente", board_with(lambda b: b["members"][0].pop("ente")), "malformed", "members[0]"),
    ("board", "impossible sitting date", board_with(lambda b: b["meetings"][0].update(date="2026-11-31")), "malformed", "meetings[0].date"),
    ("board", "a vote that is no vote", board_with(lambda b: b["meetings"][0]["motions"][0]["votes"].update(a="maybe")), "malformed", "meetings[0].motions[0].votes.a"),
    ("board", "a vote by a non-member", board_with(lambda b: b["meetings"][0]["motions"][0]["votes"].update(z="yes")), "invalid", None),
    # --- flussi di rendicontazione (FlussoRiversamento XML): malformed, at the element
    ("flow", "empty text", "", "malformed", "."),
    ("flow", "not XML", "Flusso di rendicontazione del 15/03/2021: 2 pagamenti, € 660,00", "malformed", "."),
    ("flow", "a JSON document", '{"identificativoFlusso": "2021-03-15BCITITMM-S0000001"}', "malformed", "."),
    ("flow", "truncated before the totals", FLOW[: FLOW.index("<numeroTotalePagamenti>")], "malformed", FLOW_PATH),
    ("flow", "an end tag missing", flow_with("</dataEsitoSingoloPagamento>\n  </datiSingoliPagamenti>\n</Fl", "</dataEsitoSingoloPagamento>\n</Fl"), "malformed", f"{PAYMENT_PATH}[2]"),
    ("flow", "wrong root element", flow_with("FlussoRiversamento", "FlussoRendicontazione", 2), "malformed", "."),
    ("flow", "wrong namespace", flow_with("http://www.digitpa.gov.it/schemas/2011/Pagamenti/", "http://www.example.org/schemas/Pagamenti/"), "malformed", "."),
    ("flow", "no namespace", flow_with(' xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"', ""), "malformed", "."),
    ("flow", "missing identificativoFlusso", flow_with("  <identificativoFlusso>2021-03-15BCITITMM-S0000001</identificativoFlusso>\n", ""), "malformed", f"{FLOW_PATH}/identificativoFlusso"),
    ("flow", "no single payment", FLOW[: FLOW.index("  <datiSingoliPagamenti>")] + "</FlussoRiversamento>\n", "malformed", f"{PAYMENT_PATH}"),
    ("flow", "numeroTotalePagamenti twice", flow_with("<numeroTotalePagamenti>2</numeroTotalePagamenti>", "<numeroTotalePagamenti>2</numeroTotalePagamenti><numeroTotalePagamenti>2</numeroTotalePagamenti>"), "malformed", f"{FLOW_PATH}/numeroTotalePagamenti"),
    ("flow", "an amount with three decimals", second_payment_with("<singoloImportoPagato>300.00<", "<singoloImportoPagato>300.005<"), "malformed", f"{PAYMENT_PATH}[2]/singoloImportoPagato"),
    ("flow", "a total with an exponent", flow_with("<importoTotalePagamenti>660.00<", "<importoTotalePagamenti>6.6e2<"), "malformed", f"{FLOW_PATH}/importoTotalePagamenti"),
    ("flow", "an amount with a decimal comma", flow_with("<singoloImportoPagato>360.00<", "<singoloImportoPagato>360,00<"), "malformed", f"{PAYMENT_PATH}[1]/singoloImportoPagato"),
    ("flow", "30 February", flow_with("<dataRegolamento>2021-03-15<", "<dataRegolamento>2021-02-30<"), "malformed", f"{FLOW_PATH}/dataRegolamento"),
    ("flow", "a date and time with a zone", flow_with("<dataOraFlusso>2021-03-15T10:00:00<", "<dataOraFlusso>2021-03-15T10:00:00+01:00<"), "malformed", f"{FLOW_PATH}/dataOraFlusso"),
    ("flow", "an unknown esito", second_payment_with("<codiceEsitoSingoloPagamento>0<", "<codiceEsitoSingoloPagamento>1<"), "malformed", f"{PAYMENT_PATH}[2]/codiceEsitoSingoloPagamento"),
    ("flow", "an index 6", flow_with("<indiceDatiSingoloPagamento>1<", "<indiceDatiSingoloPagamento>6<"), "malformed", f"{PAYMENT_PATH}[1]/indiceDatiSingoloPagamento"),
    ("flow", "an IUV of 36 characters", flow_with("07000000000000105", "0" * 36), "malformed", f"{PAYMENT_PATH}[1]/identificativoUnivocoVersamento"),
    ("flow", "an empty IUR", flow_with("<identificativoUnivocoRiscossione>IUR-A<", "<identificativoUnivocoRiscossione> <"), "malformed", f"{PAYMENT_PATH}[1]/identificativoUnivocoRiscossione"),
    ("flow", "an undefined entity", flow_with("<versioneOggetto>1.0<", "<versioneOggetto>&euro;1.0<"), "malformed", f"{FLOW_PATH}/versioneOggetto"),
]

BIG = [
    # name, document, prefix, fill, times, suffix, code
    ("tariff", "a 3 MB rate", TARIFF_TEXT.split('"per_abitante": "0.15"')[0] + '"per_abitante": "0.', "1", 3_000_000,
     '"' + TARIFF_TEXT.split('"per_abitante": "0.15"')[1], "malformed"),
    ("tariff", "a name of arrays nested 100.000 deep", '{"id": "x", "name": ', "[", 100_000, "", "malformed"),
    ("registry", "a journal 100.000 arrays deep", "", "[", 100_000, "", "malformed"),
]


def main() -> None:
    cases = []
    for document, name, text, code, path in CASES:
        case = {"name": name, "document": document, "text": text, "code": code}
        if path is not None:
            case["path"] = path
        cases.append(case)
    for document, name, prefix, fill, times, suffix, code in BIG:
        cases.append({"name": name, "document": document, "prefix": prefix, "fill": fill,
                      "times": times, "suffix": suffix, "code": code})
    text = json.dumps({"about": __doc__.split("\n\n")[1].replace("\n", " "), "cases": cases},
                      ensure_ascii=False, indent=1) + "\n"
    target = HERE / "cases.json"
    if "--check" in sys.argv:
        if target.read_text() != text:
            sys.exit("tests/bad-input/cases.json is stale: run python3 tests/bad-input/generate.py")
        print(f"cases.json is current ({len(cases)} cases)")
    else:
        target.write_text(text)
        print(f"wrote cases.json: {len(cases)} cases")


if __name__ == "__main__":
    main()
