"""`cit.store` on real databases: SQLite files and a PostgreSQL server that the tests start
themselves (pg_server.py). Every test runs on both (R-JOURNAL).

PostgreSQL tests are skipped, with the reason printed, only when PostgreSQL is not
installed; `make test` sets CIT_REQUIRE_POSTGRES=1, which turns that skip into a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest

import cit
import cit.store
from conftest import ROOT, tariff_text
from pg_server import PgServer, bindir

HERE = Path(__file__).resolve().parent


# -- the databases -------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    found = bindir()
    reason = "PostgreSQL is not installed (initdb and pg_ctl not found): .ci/setup installs Debian's postgresql"
    if found is None:
        if os.environ.get("CIT_REQUIRE_POSTGRES"):
            pytest.fail(reason + " — and CIT_REQUIRE_POSTGRES is set")
        print(f"\nskipping the PostgreSQL tests of cit.store: {reason}", file=sys.stderr)
        pytest.skip(reason)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get("CIT_REQUIRE_POSTGRES"):
            raise
        pytest.skip("psycopg is not installed")
    server = PgServer(found).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Makes the address of a new, empty journal on the engine of the test."""
    counter = iter(range(1_000_000))
    if request.param == "sqlite":
        return lambda: str(tmp_path / f"books-{next(counter)}.db")
    server: PgServer = request.getfixturevalue("pg")
    return server.new_database


@pytest.fixture
def url(new_url: Callable[[], str]) -> str:
    return new_url()


def raw(url: str) -> Any:
    """A plain connection to the journal's database, as another program would open it."""
    if url.startswith("postgresql://"):
        import psycopg

        return psycopg.connect(url, autocommit=True)
    return sqlite3.connect(url, isolation_level=None)


def sql(url: str, text: str) -> str:
    return text.replace("?", "%s") if url.startswith("postgresql://") else text


# -- a small CIT -----------------------------------------------------------------------


def setup_events(comuni: int = 3) -> List[Dict[str, Any]]:
    """A tariff, `comuni` member comuni and the 2021 billing run."""
    events: List[Dict[str, Any]] = [{"type": "tariff_adopted", "tariff": json.loads(tariff_text("bs-2021-services.json"))}]
    for i in range(comuni):
        ente = f"0170{i + 1:02d}"
        events += [
            {"type": "ente_registered", "ente": {"id": ente, "name": f"Comune {i + 1}", "kind": "comune",
                                                 "abitanti": 1_000 + 100 * i, "imprese": 80 + i}},
            {"type": "membership_requested", "membership": f"A-{ente}", "ente": ente, "date": "2021-01-10"},
            {"type": "membership_approved", "membership": f"A-{ente}",
             "delibera": {"number": f"{i + 1}/2021", "date": "2021-01-20", "organ": "Consiglio comunale"}},
            {"type": "convention_signed", "membership": f"A-{ente}", "date": "2021-01-25", "to": "2025-12-31"},
        ]
    events.append({"type": "billing_run", "year": 2021, "issued": "2021-03-01", "due": "2021-04-30"})
    return events


def payment(pid: str, ente: str = "017001", cents: int = 5_000) -> Dict[str, Any]:
    return {"type": "payment_received", "payment": pid, "payer": ente, "date": "2021-03-15",
            "amount": Decimal(cents) / 100}


# -- the entry points ------------------------------------------------------------------


def test_r_journal_append_reopen_replay(url: str) -> None:
    events = setup_events()
    with cit.store.open(url) as journal:
        assert journal.version == 0 and journal.head == (0, "")
        assert journal.append(events, expected_version=0) == len(events)
        assert journal.append([payment("P-1")], expected_version=journal.version) == len(events) + 1
    with cit.store.open(url) as journal:
        assert journal.version == len(events) + 1
        r = journal.registry()
        expected = cit.Registry()
        for e in events + [payment("P-1")]:
            expected.apply(e)
        assert r == expected
        assert r.balances("2021-12-31") == expected.balances("2021-12-31")
        stored = journal.events(since=len(events))
        assert stored == [{"type": "payment_received", "payment": "P-1", "payer": "017001",
                           "date": "2021-03-15", "amount": "50.00"}]
        assert journal.events()[0]["type"] == "tariff_adopted"
        journal.verify()
        version, last = journal.head
        assert version == journal.version and len(last) == 64
        # An event applied to the journal's registry directly is not stored; the journal
        # notices and folds its stored events again.
        r.apply(payment("P-2"))
        assert journal.version == len(events) + 1
        assert journal.registry() == expected
        assert journal.append([payment("P-3")]) == len(events) + 2
        assert [e["payment"] for e in journal.events(since=len(events))] == ["P-1", "P-3"]


def test_r_journal_another_writer_first_is_a_conflict(url: str) -> None:
    with cit.store.open(url) as a, cit.store.open(url) as b:
        a.append(setup_events())
        seen = b.version
        a.append([payment("P-1")], expected_version=seen)
        with pytest.raises(cit.ConflictError) as e:
            b.append([payment("P-2")], expected_version=seen)
        assert (e.value.code, e.value.expected, e.value.actual) == ("version_conflict", seen, seen + 1)
        assert b.version == seen + 1
        # b re-reads and retries.
        assert b.append([payment("P-2")], expected_version=b.version) == seen + 2
        assert [p["payment"] for p in a.events(since=seen)] == ["P-1", "P-2"]


def test_r_journal_a_retry_after_a_lost_acknowledgement_stores_nothing_twice(url: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events())
        v = journal.version
        batch = [payment("P-1"), payment("P-2", "017002")]
        assert journal.append(batch, expected_version=v) == v + 2
        # The acknowledgement was lost: the same batch at the same expected version.
        assert journal.append(batch, expected_version=v) == v + 2
        # The same event again without a version: recognised as already recorded.
        assert journal.append([payment("P-1")]) == v + 2
        assert journal.version == v + 2
        # The same id with other content is a real conflict of the books.
        with pytest.raises(cit.RegistryError) as e:
            journal.append([payment("P-1", cents=1)])
        assert e.value.code == "duplicate_event"
        journal.verify()


def test_r_journal_a_refused_event_stores_nothing(url: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events())
        v = journal.version
        bad = payment("P-2")
        bad["amount"] = "0"
        with pytest.raises(cit.InvalidValueError) as e:
            journal.append([payment("P-1"), bad], expected_version=v)
        assert e.value.code == "invalid_value"
        assert "[1]" in (e.value.path or "") and (e.value.path or "").endswith("amount")
        assert journal.version == v
        with pytest.raises(cit.CitError):
            journal.append([{"type": "payment_received", "payment": "P-3"}])
        assert journal.version == v
        # The journal's own registry was not changed either: a good append still works.
        assert journal.append([payment("P-1")], expected_version=v) == v + 1
        assert journal.registry().version == v + 1


def test_r_journal_a_corrupt_row_is_named_never_skipped(url: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events(1))
        v, last = journal.head
    text = '{"type":"payment_received","payment":"P-9"'  # cut short
    conn = raw(url)
    conn.execute(sql(url, "INSERT INTO cit_journal (seq, type, event_key, event, hash) VALUES (?, ?, ?, ?, ?)"),
                 (v, "payment_received", "payment:P-9", text, cit.store.chain(last, text)))
    conn.close()
    with cit.store.open(url) as journal:
        with pytest.raises(cit.store.CorruptRowError) as e:
            journal.registry()
        assert (e.value.code, e.value.seq) == ("journal_corrupt", v)
        with pytest.raises(cit.store.CorruptRowError) as e:
            journal.verify()
        assert e.value.seq == v
        with pytest.raises(cit.store.CorruptRowError):
            journal.append([payment("P-1")])


@pytest.mark.parametrize("how", ["edit", "delete", "swap", "edit_hash_column"])
def test_r_journal_tampering_is_named_by_verify(url: str, how: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events(2))
        journal.append([payment("P-1"), payment("P-2", "017002"), payment("P-3")])
        journal.verify()
        version = journal.version
    conn = raw(url)
    target = version - 2  # P-2
    if how == "edit":
        (text,) = conn.execute(sql(url, "SELECT event FROM cit_journal WHERE seq = ?"), (target,)).fetchone()
        conn.execute(sql(url, "UPDATE cit_journal SET event = ? WHERE seq = ?"), (text.replace("50.00", "5.00"), target))
        first = target
    elif how == "delete":
        conn.execute(sql(url, "DELETE FROM cit_journal WHERE seq = ?"), (target,))
        first = target
    elif how == "swap":
        rows = conn.execute(sql(url, "SELECT seq, event, hash, type, event_key FROM cit_journal WHERE seq IN (?, ?) ORDER BY seq"),
                            (target, target + 1)).fetchall()
        (s1, e1, h1, t1, k1), (s2, e2, h2, t2, k2) = rows
        conn.execute(sql(url, "DELETE FROM cit_journal WHERE seq IN (?, ?)"), (s1, s2))
        insert = sql(url, "INSERT INTO cit_journal (seq, event, hash, type, event_key) VALUES (?, ?, ?, ?, ?)")
        conn.execute(insert, (s1, e2, h2, t2, k2))
        conn.execute(insert, (s2, e1, h1, t1, k1))
        first = target
    else:
        conn.execute(sql(url, "UPDATE cit_journal SET hash = ? WHERE seq = ?"), ("0" * 64, target))
        first = target
    conn.close()
    with cit.store.open(url) as journal:
        with pytest.raises(cit.store.TamperedError) as e:
            journal.verify()
        assert (e.value.code, e.value.seq) == ("journal_tampered", first), str(e.value)
        assert str(first) in str(e.value)


def test_r_journal_another_writer_in_plain_sql_is_read_back(url: str) -> None:
    """The documented schema is enough to write a journal: the canonical JSON, its key and
    the chained hash, with the database's own driver."""
    with cit.store.open(url) as journal:
        journal.append(setup_events(1))
        v, last = journal.head
    text = '{"type":"payment_received","payment":"PHP-1","payer":"017001","date":"2021-03-20","amount":"12.34"}'
    conn = raw(url)
    conn.execute(sql(url, "INSERT INTO cit_journal (seq, type, event_key, event, hash) VALUES (?, ?, ?, ?, ?)"),
                 (v, "payment_received", "payment:PHP-1", text,
                  hashlib.sha256((last + text).encode()).hexdigest()))
    conn.close()
    with cit.store.open(url) as journal:
        journal.verify()
        b = journal.registry().balance("017001", "2021-12-31")
        assert b["paid"] == Decimal("12.34")


def test_r_journal_not_a_journal_or_too_new(tmp_path: Path, url: str) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE protocollo (n INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(cit.store.NotAJournalError) as e:
        cit.store.open(other)
    assert e.value.code == "not_a_journal" and "protocollo" in str(e.value)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not SQLite at all" * 100)
    with pytest.raises(cit.store.NotAJournalError):
        cit.store.open(f"sqlite:///{garbage}")
    with cit.store.open(url):
        pass
    conn = raw(url)
    conn.execute(sql(url, "UPDATE cit_meta SET value = ? WHERE key = ?"), ("99", "schema_version"))
    conn.close()
    with pytest.raises(cit.store.JournalVersionError) as e2:
        cit.store.open(url)
    assert e2.value.code == "journal_too_new" and "99" in str(e2.value)


# -- crash and concurrency: real processes ----------------------------------------------

CHILD = r"""
import sys, cit.store
url, start = sys.argv[1], int(sys.argv[2])
journal = cit.store.open(url)
n = start
while True:
    event = {"type": "payment_received", "payment": f"P-{n}", "payer": "017001",
             "date": "2021-03-15", "amount": "1.00"}
    version = journal.append([event], expected_version=journal.version)
    print(version, flush=True)
    n += 1
"""


def test_r_journal_a_killed_writer_loses_no_acknowledged_event(url: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events(1))
        base = journal.version
    rng = random.Random(20261201)
    acknowledged = base
    for kill in range(20):
        with cit.store.open(url) as journal:
            start = journal.version - base
        child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(start)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.2, 0.6))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        versions = [int(line) for line in out.split()]
        if versions:
            acknowledged = versions[-1]
        with cit.store.open(url) as journal:
            # An empty append takes the writers' lock, so it returns once the killed
            # writer's last transaction has ended: PostgreSQL completes a COMMIT it received
            # from a client that then died (the "+1" below), and `version` read before that
            # could be one behind the events `registry()` reads a moment later.
            stored = journal.append([])
            assert acknowledged <= stored <= acknowledged + 1, (kill, acknowledged, stored, err)
            journal.verify()
            r = journal.registry()
            assert r.version == stored
            paid = r.balance("017001", "2021-12-31")["paid"]
            assert paid == Decimal(stored - base)  # every payment once, € 1,00 each
            acknowledged = stored
    assert acknowledged > base + 20, "the writer was killed before it could append"


WORKER = r"""
import sys, cit, cit.store
url, w, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
journal = cit.store.open(url)
conflicts = 0
for i in range(count):
    event = {"type": "payment_received", "payment": f"W{w}-{i}", "payer": "0170%02d" % (int(w) + 1),
             "date": "2021-03-15", "amount": "0.25"}
    while True:
        try:
            journal.append([event], expected_version=journal.version)
            break
        except cit.ConflictError:
            conflicts += 1
print(conflicts)
"""


def test_r_journal_four_writers_store_every_payment_once(url: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events(4))
        base = journal.version
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(w), "250"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(4)]
    results = [w.communicate(timeout=600) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in results]
    with cit.store.open(url) as journal:
        assert journal.version == base + 1_000
        journal.verify()
        events = journal.events(since=base)
        ids = [e["payment"] for e in events]
        assert len(set(ids)) == 1_000
        r = journal.registry()
        assert r == cit.Registry.from_json(r.to_json())
        for w in range(4):
            b = r.balance(f"0170{w + 1:02d}", "2021-12-31")
            assert b["paid"] == Decimal("62.50")  # 250 × € 0,25
            assert b["paid"] - b["credit"] == b["charged"] - b["outstanding"]


# -- round trip of a whole year ---------------------------------------------------------


def test_r_journal_the_annual_cycle_round_trips(url: str) -> None:
    text = (ROOT / "tests" / "vectors" / "annual_cycle_journal.json").read_text(encoding="utf-8")
    original = cit.Registry.from_json(text)
    events = json.loads(text)
    with cit.store.open(url) as journal:
        journal.append(events[:10], expected_version=0)
        for e in events[10:]:
            journal.append([e], expected_version=journal.version)
    with cit.store.open(url) as journal:
        journal.verify()
        replayed = journal.registry()
        assert replayed == original
        assert replayed.to_json() == text.strip()
        for day in ("2022-06-30", "2022-12-31"):
            assert replayed.balances(day) == original.balances(day)


def test_r_journal_latest_events_removed_under_an_open_journal_are_named(url: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events(1))
        journal.append([payment("P-1"), payment("P-2")])
        version = journal.version
        journal.registry()  # the journal has folded every event
        conn = raw(url)
        conn.execute(sql(url, "DELETE FROM cit_journal WHERE seq >= ?"), (version - 2,))
        conn.close()
        with pytest.raises(cit.store.TamperedError) as e:
            journal.append([payment("P-3")])
        assert (e.value.code, e.value.seq) == ("journal_tampered", version - 2)
        assert journal.version == version - 2  # nothing was chained over the hole


@pytest.mark.parametrize("row", ["two events in one row", "a billing run that bills nothing"])
def test_r_journal_a_row_that_is_not_one_recorded_event_is_named(url: str, row: str) -> None:
    with cit.store.open(url) as journal:
        journal.append(setup_events(1))
        v, last = journal.head
    if row == "two events in one row":
        one = cit._cit.journal_entry(payment("P-1"))["event"]
        text = one + "," + one.replace("P-1", "P-2")
        key, kind = "payment:P-1", "payment_received"
    else:
        text = '{"type":"billing_run","year":2021,"issued":"2021-03-01","due":"2021-04-30"}'
        key, kind = None, "billing_run"
    conn = raw(url)
    conn.execute(sql(url, "INSERT INTO cit_journal (seq, type, event_key, event, hash) VALUES (?, ?, ?, ?, ?)"),
                 (v, kind, key, text, cit.store.chain(last, text)))
    conn.close()
    with cit.store.open(url) as journal:
        with pytest.raises(cit.store.CorruptRowError) as e:
            journal.registry()
        assert e.value.seq == v, str(e.value)
