"""An independent reference implementation of pagoPA's notices and of the reconciliation of
a flusso di rendicontazione (R-NOTICE, R-RECONCILE), with the ledger they book into
(R-RUN, R-PAYER, R-LEDGER), in pure Python: integers and decimal.Decimal, never a float.

It shares no code with cit-core. `generate_pagopa.py` uses it to compute the expected
outputs of the pagopa vectors, and to check the hand-written ones. What it computes itself:

* the numero avviso and the IUV: `3` + codice di segregazione + 13-digit base, the check
  digits being the 16-digit number (a Python integer) modulo 93, zero-padded;
* the codice fiscale of a body: the partita IVA's check digit (odd places summed, even
  places doubled less 9 above 9, the total a multiple of 10);
* which shares get a notice: every open payer share of the year's charges in force, in
  charge order then share order, numbered on from the last (bases 1, 2, 3 …, never reused);
* the reconciliation: per payment of the flow, matched / mismatched / unknown / already
  recorded, the problems' paths and the events that book what matched; nothing booked
  when the flow's count, total or receiver is wrong;
* the ledger: charges of one billing run (quotas from reference_quota.py, the capofila's
  share from reference_services.py), payments to the named charge first and then oldest
  first with the rest as credit, charge reversals, payment reversals (the payment's own
  allocations, then credit, then paid shares newest first, then credit used oldest first),
  and the balances.

It reads the flows as the dicts the generator writes its XML from (it does not parse XML).
"""

from __future__ import annotations

from decimal import Decimal

import reference_quota as rq
import reference_services as rs

ZERO = Decimal(0)
ROOT = "FlussoRiversamento"


class RefError(Exception):
    """A refusal, as the core names it: an error code and a path."""

    def __init__(self, code: str, path: str | None):
        super().__init__(f"{code} at {path}")
        self.code = code
        self.path = path


# --- numbers -------------------------------------------------------------------------


def valid_codice_fiscale(code: str) -> bool:
    if len(code) != 11 or not code.isdigit() or not code.isascii():
        return False
    total = 0
    for place, ch in enumerate(code, start=1):
        d = int(ch)
        if place % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def codice_fiscale(head: str) -> str:
    """The ten digits `head` completed with their check digit."""
    for d in "0123456789":
        if valid_codice_fiscale(head + d):
            return head + d
    raise AssertionError(head)


def check_digits(segregation: str, base: int) -> int:
    """The 16-digit number 3 · 10^15 + segregation · 10^13 + base, modulo 93."""
    return (3 * 10**15 + int(segregation) * 10**13 + base) % 93


def iuv(segregation: str, base: int) -> str:
    return f"{segregation}{base:013d}{check_digits(segregation, base):02d}"


def valid_iuv(text: str) -> bool:
    if len(text) != 17 or not text.isdigit() or not text.isascii() or int(text[:2]) > 49:
        return False
    return check_digits(text[:2], int(text[2:15])) == int(text[15:])


def plain(d: Decimal) -> str:
    return rq.plain(d)


# --- the books -----------------------------------------------------------------------


class Books:
    """The registry as far as these vectors use it, applied event by event."""

    def __init__(self):
        self.tariff = None
        self.enti = {}  # id → ente dict (with codice_fiscale, if any)
        self.memberships = {}  # id → {"ente", "signed"}
        self.agreements = []  # in order of record
        self.creditor = None
        self.charges = []  # {"id", "year", "due", "issued", "in_force", "shares": [share index]}
        self.shares = []  # {"charge", "payer", "amount", "open"}
        self.accounts = {}  # payer → {"charged", "paid", "credit"}
        self.payments = {}  # id → {"payer", "amount", "date", "allocations": [(share, amount)], "reversed_by"}
        self.billed = set()
        self.notices = []  # {"share", "charge", "payer", "iuv", "notice_number", "amount", "year"}
        self.noticed = set()  # share indexes with a notice
        self.receipts = {}  # (iuv, iur, index) → payment id

    # accounts

    def account(self, payer):
        return self.accounts.setdefault(payer, {"charged": ZERO, "paid": ZERO, "credit": ZERO})

    def in_force(self, s):
        return self.charges[self.shares[s]["charge"]]["in_force"]

    def order(self, s):
        c = self.charges[self.shares[s]["charge"]]
        return (c["due"], c["issued"], self.shares[s]["charge"], s)

    def open_shares(self, payer):
        """The payer's open shares of charges in force, oldest first."""
        found = [s for s, sh in enumerate(self.shares)
                 if sh["payer"] == payer and sh["open"] > 0 and self.in_force(s)]
        return sorted(found, key=self.order)

    def paid_of(self, s):
        return self.shares[s]["amount"] - self.shares[s]["open"]

    def allocate(self, s, amount, payment):
        self.shares[s]["open"] -= amount
        if payment is not None:
            self.payments[payment]["allocations"].append((s, amount))

    def oldest_first(self, payer, amount, payment):
        for s in self.open_shares(payer):
            if amount <= 0:
                break
            part = min(amount, self.shares[s]["open"])
            self.allocate(s, part, payment)
            amount -= part
        return amount

    def settle(self, payer):
        a = self.account(payer)
        if a["credit"] > 0:
            a["credit"] = self.oldest_first(payer, a["credit"], None)

    # events

    def apply(self, e):
        handler = getattr(self, "on_" + e["type"])
        handler(e)

    def on_tariff_adopted(self, e):
        self.tariff = e["tariff"]

    def on_ente_registered(self, e):
        self.enti[e["ente"]["id"]] = dict(e["ente"])

    def on_codice_fiscale_recorded(self, e):
        self.enti[e["ente"]]["codice_fiscale"] = e["codice_fiscale"]

    def on_membership_requested(self, e):
        self.memberships[e["membership"]] = {"ente": e["ente"], "signed": None}

    def on_membership_approved(self, e):
        pass

    def on_convention_signed(self, e):
        self.memberships[e["membership"]]["signed"] = e.get("from") or e["date"]

    def on_payer_agreed(self, e):
        self.agreements.append(e)

    def on_creditor_registered(self, e):
        self.creditor = e["creditor"]

    def on_billing_run(self, e):
        year = e["year"]
        members = {}
        for m in self.memberships.values():
            if m["signed"] is not None and int(m["signed"][:4]) <= year:
                members[m["ente"]] = m["signed"]
        for ente in sorted(members):
            cid = f"Q{year}-{ente}"
            if cid in self.billed:
                continue
            signed = members[ente]
            quote = rq.quote(self.tariff, self.enti[ente], year, signed if signed >= f"{year}-01-01" else None)
            total = Decimal(quote["total"])
            agreement = None
            for a in reversed(self.agreements):
                if ente in a["members"] and a["from_year"] <= year:
                    agreement = a
                    break
            self.issue_charge(cid, year, e["issued"], e["due"], rs.quota_shares(ente, total, agreement))

    def issue_charge(self, cid, year, issued, due, shares):
        self.billed.add(cid)
        c = {"id": cid, "year": year, "due": due, "issued": issued, "in_force": True, "shares": []}
        i = len(self.charges)
        self.charges.append(c)
        for payer, amount in shares:
            c["shares"].append(len(self.shares))
            self.shares.append({"charge": i, "payer": payer, "amount": amount, "open": amount})
            self.account(payer)["charged"] += amount
        for payer, _ in shares:
            self.settle(payer)

    def on_notices_issued(self, e):
        if self.creditor is None:
            raise RefError("invalid_value", "creditor")
        seg = self.creditor["segregation_code"]
        new = []
        for i, c in enumerate(self.charges):
            if c["year"] != e["year"] or not c["in_force"]:
                continue
            for s in c["shares"]:
                sh = self.shares[s]
                if sh["open"] <= 0 or s in self.noticed:
                    continue
                cf = self.enti[sh["payer"]].get("codice_fiscale")
                if cf is None:
                    raise RefError("invalid_value", f"enti.{sh['payer']}.codice_fiscale")
                n = len(self.notices) + len(new) + 1
                code = iuv(seg, n)
                new.append({"share": s, "charge": c["id"], "payer": sh["payer"], "iuv": code,
                            "notice_number": "3" + code, "amount": sh["open"], "year": c["year"]})
        for notice in new:
            self.noticed.add(notice["share"])
            self.notices.append(notice)

    def on_payment_received(self, e):
        pid, payer, amount = e["payment"], e["payer"], Decimal(e["amount"])
        self.payments[pid] = {"payer": payer, "amount": amount, "date": e["date"], "allocations": [],
                              "reversed_by": None}
        left = amount
        if e.get("charge") is not None:
            i = next(k for k, c in enumerate(self.charges) if c["id"] == e["charge"])
            for s in self.charges[i]["shares"]:
                if self.shares[s]["payer"] == payer:
                    part = min(left, self.shares[s]["open"])
                    if part > 0:
                        self.allocate(s, part, pid)
                        left -= part
        left = self.oldest_first(payer, left, pid)
        a = self.account(payer)
        a["credit"] += left
        a["paid"] += amount
        ch = e.get("channel")
        if ch is not None and ch["kind"] == "pagopa":
            self.receipts[(ch["iuv"], ch["iur"], ch["index"])] = pid

    def on_charge_reversed(self, e):
        i = next(k for k, c in enumerate(self.charges) if c["id"] == e["charge"])
        c = self.charges[i]
        payers = []
        for s in c["shares"]:
            sh = self.shares[s]
            a = self.account(sh["payer"])
            a["credit"] += self.paid_of(s)
            sh["open"] = ZERO
            a["charged"] -= sh["amount"]  # the storno's share
            payers.append(sh["payer"])
        c["in_force"] = False
        for p in payers:
            self.settle(p)

    def on_payment_reversed(self, e):
        original = self.payments[e["payment"]]
        payer, amount = original["payer"], original["amount"]
        left = amount
        # 1. its own allocations on charges still in force
        for s, allocated in list(original["allocations"]):
            if not self.in_force(s):
                continue
            part = min(allocated, self.paid_of(s))
            if part > 0:
                self.shares[s]["open"] += part
                left -= part
        # 2. the payer's credit
        a = self.account(payer)
        taken = max(min(left, a["credit"]), ZERO)
        a["credit"] -= taken
        left -= taken
        # 3. paid shares re-open, newest first
        while left > 0:
            paid = sorted((s for s, sh in enumerate(self.shares)
                           if sh["payer"] == payer and self.in_force(s) and self.paid_of(s) > 0), key=self.order)
            s = paid[-1]
            part = min(left, self.paid_of(s))
            self.shares[s]["open"] += part
            left -= part
        a["paid"] -= amount
        original["reversed_by"] = e["id"]
        self.payments[e["id"]] = {"payer": payer, "amount": -amount, "date": e["date"], "allocations": [],
                                  "reversed_by": None, "reverses": e["payment"]}
        # 4. the credit left pays the re-opened shares
        self.settle(payer)

    # what the vectors ask

    def notice_status(self, n):
        s = n["share"]
        if not self.in_force(s):
            return "withdrawn"
        return "open" if self.shares[s]["open"] > 0 else "paid"

    def notices_of(self, year):
        return [{"charge": n["charge"], "payer": n["payer"], "notice_number": n["notice_number"],
                 "iuv": n["iuv"], "amount": plain(n["amount"]), "status": self.notice_status(n)}
                for n in self.notices if n["year"] == year]

    def balances(self, at):
        out = []
        for ente in sorted(self.enti):
            a = self.accounts.get(ente, {"charged": ZERO, "paid": ZERO, "credit": ZERO})
            open_ = [s for s in self.open_shares(ente)]
            outstanding = sum((self.shares[s]["open"] for s in open_), ZERO)
            overdue = sum((self.shares[s]["open"] for s in open_
                           if self.charges[self.shares[s]["charge"]]["due"] < at), ZERO)
            assert a["paid"] - a["credit"] == a["charged"] - outstanding, ente
            assert a["credit"] == 0 or outstanding == 0, ente
            out.append({"ente": ente, "at": at, "charged": plain(a["charged"]), "paid": plain(a["paid"]),
                        "outstanding": plain(outstanding), "credit": plain(a["credit"]), "overdue": plain(overdue)})
        return out

    def receipt(self, iuv_, iur, index):
        """The payment booked for exactly this IUV, IUR and index: (id, amount, date)."""
        pid = self.receipts.get((iuv_, iur, index))
        if pid is not None and pid in self.payments:
            return pid, self.payments[pid]["amount"], self.payments[pid]["date"]
        return None

    def reconcile(self, flow):
        """The report of a flow dict: accepted, the lines (position, iuv, payment; the
        notice's amount for a mismatch), the problems' paths and the events."""
        if self.creditor is None:
            raise RefError("invalid_value", "creditor")
        problems = []
        accepted = True
        if flow["receiver"] != self.creditor["codice_fiscale"]:
            accepted = False
            problems.append(f"{ROOT}/istitutoRicevente/identificativoUnivocoRicevente/codiceIdentificativoUnivoco")
        if flow["count"] != len(flow["payments"]):
            accepted = False
            problems.append(f"{ROOT}/numeroTotalePagamenti")
        if sum((Decimal(p["amount"]) for p in flow["payments"]), ZERO) != Decimal(flow["total"]):
            accepted = False
            problems.append(f"{ROOT}/importoTotalePagamenti")
        by_iuv = {n["iuv"]: n for n in self.notices}
        lists = {"matched": [], "mismatched": [], "unknown": [], "already_recorded": []}
        events = []
        seen = set()
        booking = {}
        for k, p in enumerate(flow["payments"], start=1):
            path = f"{ROOT}/datiSingoliPagamenti[{k}]"
            amount = Decimal(p["amount"])
            key = (p["iuv"], p["iur"], p["index"])
            if key in seen:
                problems.append(path)
                continue
            seen.add(key)
            if not valid_iuv(p["iuv"]):
                problems.append(f"{path}/identificativoUnivocoVersamento")
            notice = by_iuv.get(p["iuv"])
            if notice is None:
                lists["unknown"].append({"position": k, "iuv": p["iuv"]})
                continue
            line = {"position": k, "iuv": p["iuv"], "payment": None}
            if p["outcome"] != 3:
                pid = f"PA-{p['iuv']}-{p['iur']}-{p['index']}"
                line["payment"] = pid
                if pid in self.payments or key in self.receipts:
                    lists["already_recorded"].append(line)
                    continue
                if amount <= 0 or amount != notice["amount"]:
                    if amount <= 0:
                        problems.append(f"{path}/singoloImportoPagato")
                    line["expected"] = plain(notice["amount"])
                    lists["mismatched"].append(line)
                    continue
                if self.notice_status(notice) == "withdrawn":
                    problems.append(f"{path}/identificativoUnivocoVersamento")
                booking[(p["iuv"], p["iur"], p["index"])] = (pid, amount, p["date"])
                events.append({"type": "payment_received", "payment": pid, "payer": notice["payer"],
                               "date": p["date"], "amount": plain(amount), "charge": notice["charge"],
                               "channel": {"kind": "pagopa", "iuv": p["iuv"], "iur": p["iur"],
                                           "index": p["index"], "flow": flow["id"]}})
                lists["matched"].append(line)
            else:
                original = (self.receipt(p["iuv"], p["iur"], p["index"])
                            or booking.get((p["iuv"], p["iur"], p["index"])))
                if original is None:
                    problems.append(path)
                    line["expected"] = plain(notice["amount"])
                    lists["mismatched"].append(line)
                    continue
                paid, paid_amount, paid_on = original
                reversed_by = self.payments[paid]["reversed_by"] if paid in self.payments else None
                if reversed_by is not None:
                    line["payment"] = reversed_by
                    lists["already_recorded"].append(line)
                    continue
                rid = f"{paid}:revoca"
                line["payment"] = rid
                if p["date"] < paid_on:  # ISO dates compare as text
                    problems.append(f"{path}/dataEsitoSingoloPagamento")
                    line["expected"] = plain(notice["amount"])
                    lists["mismatched"].append(line)
                    continue
                if amount != -paid_amount:
                    problems.append(f"{path}/singoloImportoPagato")
                    line["expected"] = plain(notice["amount"])
                    lists["mismatched"].append(line)
                    continue
                events.append({"type": "payment_reversed", "id": rid, "payment": paid, "date": p["date"],
                               "reason": f"Pagamento revocato (esito 3) nel flusso di rendicontazione {flow['id']}"})
                lists["matched"].append(line)
        return {"accepted": accepted, **lists, "problems": [{"path": p} for p in problems],
                "events": events if accepted else []}


def run_case(events: list, flows: list, year: int, at: str) -> dict:
    """The expected output of a case (flows as dicts), or {"expected_error": …}."""
    books = Books()
    for i, e in enumerate(events):
        try:
            books.apply(e)
        except RefError as err:
            return {"expected_error": {"code": err.code, "path": err.path, "event": i}}
    reports = []
    for k, flow in enumerate(flows):
        try:
            report = books.reconcile(flow)
        except RefError as err:
            return {"expected_error": {"code": err.code, "path": err.path, "flow": k}}
        for e in report["events"]:
            books.apply(e)
        reports.append(report)
    return {"expected": {"notices": books.notices_of(year), "reports": reports, "balances": books.balances(at)}}
