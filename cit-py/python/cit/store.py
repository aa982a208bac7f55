"""cit.store: the registry's journal in a real database (R-JOURNAL).

SQLite from the standard library is the embedded default; PostgreSQL (through psycopg 3,
``pip install "cit[postgresql]"``) serves a shared back office. The core stays pure: this
module is the one piece of I/O of `cit`. It drives the core's versioned append, so every
event is checked by the very rules of `cit.Registry` before it is stored.

>>> import cit.store
>>> journal = cit.store.open("books.db")                    # doctest: +SKIP
>>> v = journal.append([event], expected_version=journal.version)  # doctest: +SKIP
>>> registry = journal.registry()                          # doctest: +SKIP

- ``append`` checks the events with the core and stores them in one transaction, all or
  none; a refused event raises the core's error and stores nothing. If another writer
  appended since ``expected_version``, it raises `cit.ConflictError` (``expected``,
  ``actual``): re-read and retry. The retry of an append whose acknowledgement was lost is
  recognised and stores nothing twice.
- Every stored event carries ``hash = sha256(previous hash ‖ canonical JSON of the event)``
  (hex; the previous hash of the first event is the empty string); `Journal.verify`
  recomputes the chain and raises `TamperedError` naming the first sequence number edited,
  deleted or reordered. A row that is not a valid event is a `CorruptRowError` naming its
  sequence number, never skipped.

The schema (README, "The journal in a database") is plain SQL, so that another system can
write the same journal with its own driver and `cit.store` reads it back.

A `Journal` holds one database connection: use it from one thread (open one per thread or
process; the database serialises their appends).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from . import _cit
from ._cit import Registry
from .errors import CitError

#: The layout of the tables this version writes and reads (``cit_meta.schema_version``).
SCHEMA_VERSION = 1
#: ``cit_meta.format`` of every cit journal.
FORMAT = "cit-journal"
#: The codes of the errors of `cit.store` (beside the core's `cit.ERROR_CODES`).
ERROR_CODES = ("not_a_journal", "journal_too_new", "journal_unusable", "journal_corrupt", "journal_tampered")

#: The advisory lock that serialises the appends of every writer of a PostgreSQL journal.
_PG_LOCK = 0x63697400  # "cit\0"


class StoreError(CitError):
    """A journal that cannot be opened or read as stored. Raised as such (code
    ``journal_unusable``) when the database cannot keep a journal safely, e.g. SQLite
    without write-ahead logging on that file system."""


class NotAJournalError(StoreError):
    """The file or database is not a cit journal (code ``not_a_journal``)."""


class JournalVersionError(StoreError):
    """The journal was written by a newer `cit` with a newer schema (code
    ``journal_too_new``): upgrade `cit` to read it."""


class RowError(StoreError):
    """An error about one stored row; ``seq`` is its sequence number."""

    seq: int
    #: The code of the class's errors.
    default_code = "journal_corrupt"

    def __init__(self, message: str, *, seq: int, code: Optional[str] = None, path: Optional[str] = None) -> None:
        super().__init__(message, code=code or self.default_code, path=path)
        self.seq = seq


class CorruptRowError(RowError):
    """A stored row that is not a valid event of the journal — JSON that does not parse, an
    unknown type, an event the rules refuse, a row out of its canonical form (code
    ``journal_corrupt``)."""


class TamperedError(RowError):
    """The hash chain does not hold (code ``journal_tampered``): the row ``seq`` was edited,
    deleted or moved after it was stored, or a row before it was (or rows from ``seq`` on
    were removed)."""

    default_code = "journal_tampered"


def _missing(name: str, seq: int, found: object) -> TamperedError:
    return TamperedError(f"{name}: event {seq} is missing (found {found}): deleted", seq=seq)


def chain(previous: str, event_json: str) -> str:
    """The hash of a stored event: ``sha256(previous ‖ event_json)`` in hex, the previous
    hash being ``""`` for the first event (sequence number 0).

    >>> chain("", '{"type":"year_closed","year":2025}')[:16]
    '1a10290e5b68ce41'
    """
    return hashlib.sha256((previous + event_json).encode("utf-8")).hexdigest()


Row = Tuple[int, str, Optional[str], str, str]  # seq, type, event_key, event, hash


class _Database:
    """What the journal needs of a database; one subclass per engine."""

    placeholder = "?"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:  # pragma: no cover
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:  # pragma: no cover
        raise NotImplementedError

    @contextmanager
    def writing(self) -> Iterator[None]:  # pragma: no cover
        raise NotImplementedError
        yield

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def tables(self) -> List[str]:  # pragma: no cover
        raise NotImplementedError

    #: The types of the two columns the engines write differently.
    seq_type = "INTEGER"
    recorded_at = "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

    def schema(self) -> List[str]:
        """The tables of a journal (README, "The journal in a database")."""
        return [
            """CREATE TABLE cit_meta (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            f"""CREATE TABLE cit_journal (
                seq         {self.seq_type} PRIMARY KEY CHECK (seq >= 0),
                type        TEXT NOT NULL,
                event_key   TEXT UNIQUE,
                event       TEXT NOT NULL,
                hash        TEXT NOT NULL CHECK (length(hash) = 64),
                recorded_at {self.recorded_at}
            )""",
        ]

    def sql(self, text: str) -> str:
        return text.replace("?", self.placeholder)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> List[Tuple[Any, ...]]:
        return list(self.execute(self.sql(sql), params).fetchall())

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Optional[Tuple[Any, ...]]:
        row = self.execute(self.sql(sql), params).fetchone()
        return None if row is None else tuple(row)


class _Sqlite(_Database):
    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=60.0)
        try:
            mode = self.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(
                    f"{path}: SQLite could not use write-ahead logging here (journal_mode={mode})",
                    code="journal_unusable",
                )
            self.conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise NotAJournalError(f"{path}: not a cit journal ({e})", code="not_a_journal") from e
        except BaseException:
            self.conn.close()
            raise

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    @contextmanager
    def writing(self) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock now: concurrent writers wait (timeout above)
        # instead of failing at their first write.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # also when COMMIT itself failed (disk full, I/O)
                self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def tables(self) -> List[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


class _Postgres(_Database):
    placeholder = "%s"
    seq_type = "BIGINT"
    recorded_at = "TIMESTAMPTZ NOT NULL DEFAULT now()"

    def __init__(self, dsn: str) -> None:
        try:
            import psycopg
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError('cit.store needs psycopg for PostgreSQL: pip install "cit[postgresql]"') from e
        self.conn = psycopg.connect(dsn, autocommit=True)
        # READ COMMITTED whatever the database's default: each statement of an append sees
        # what the writers before it committed while it waited for the lock (a snapshot
        # taken at the lock's request would miss them).
        self.conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        # psycopg 3 sends the rows in one pipeline, not one round trip each.
        with self.conn.cursor() as cursor:
            cursor.executemany(sql, rows)

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.conn.transaction():
            # One writer at a time; released at commit.
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK,))
            yield

    def close(self) -> None:
        self.conn.close()

    def tables(self) -> List[str]:
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        return [r[0] for r in rows]


def _connect(target: Union[str, "os.PathLike[str]"]) -> Tuple[_Database, str]:
    text = os.fspath(target)
    if text.startswith(("postgresql://", "postgres://")):
        return _Postgres(text), text
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    elif "://" in text:
        raise ValueError(f"cit.store.open: {text!r}: expected a path, sqlite:///PATH or postgresql://…")
    return _Sqlite(text), text


def open(target: Union[str, "os.PathLike[str]"]) -> "Journal":  # noqa: A001 - the module's verb
    """Opens the journal at ``target`` — a path or ``sqlite:///PATH`` (created if new), or a
    ``postgresql://`` URL (the tables are created in an empty database).

    Raises `NotAJournalError` if the file or database holds something else, and
    `JournalVersionError` if it was written by a newer `cit`."""
    db, name = _connect(target)
    try:
        return Journal(db, name)
    except BaseException:
        db.close()
        raise


class Journal:
    """A registry's journal stored in a database. Open it with `cit.store.open`."""

    def __init__(self, db: _Database, name: str) -> None:
        self._db = db
        self.name = name
        self._registry: Optional[Registry] = None
        # The version the journal folded its registry to: if the registry's own differs,
        # events were applied to it directly (not stored), and it is read again.
        self._folded = 0
        self._prepare()

    # -- opening ---------------------------------------------------------------------

    def _prepare(self) -> None:
        if "cit_meta" not in self._db.tables():
            # A new journal: created under the write lock, looking again once it is held
            # (another process may have created it meanwhile).
            with self._db.writing():
                tables = self._db.tables()
                if "cit_meta" not in tables:
                    if tables:
                        raise NotAJournalError(
                            f"{self.name}: not a cit journal (it has tables {sorted(tables)} and no cit_meta)",
                            code="not_a_journal",
                        )
                    for statement in self._db.schema():
                        self._db.execute(statement)
                    for key, value in (("format", FORMAT), ("schema_version", str(SCHEMA_VERSION))):
                        self._db.execute(self._db.sql("INSERT INTO cit_meta (key, value) VALUES (?, ?)"), (key, value))
        meta = dict(self._db.fetchall("SELECT key, value FROM cit_meta"))
        if meta.get("format") != FORMAT or "cit_journal" not in self._db.tables():
            raise NotAJournalError(f"{self.name}: not a cit journal (format {meta.get('format')!r})", code="not_a_journal")
        try:
            schema = int(meta.get("schema_version", ""))
        except ValueError:
            raise NotAJournalError(
                f"{self.name}: unreadable schema_version {meta.get('schema_version')!r}", code="not_a_journal"
            ) from None
        if schema > SCHEMA_VERSION:
            raise JournalVersionError(
                f"{self.name}: written with journal schema {schema}, this cit reads up to {SCHEMA_VERSION}: upgrade cit",
                code="journal_too_new",
            )

    def close(self) -> None:
        """Closes the connection."""
        self._db.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({self.name!r}, version={self.version})"

    # -- reading ---------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The number of stored events (the next event's sequence number)."""
        row = self._db.fetchone("SELECT COALESCE(MAX(seq) + 1, 0) FROM cit_journal")
        return int(row[0]) if row else 0

    @property
    def head(self) -> Tuple[int, str]:
        """``(version, hash of the last event)`` (``(0, "")`` when empty): the value to
        publish or record elsewhere (a determina, the minutes), so that even the removal of
        the latest events can be proven later."""
        row = self._db.fetchone("SELECT seq, hash FROM cit_journal ORDER BY seq DESC LIMIT 1")
        return (0, "") if row is None else (int(row[0]) + 1, str(row[1]))

    def _rows(self, since: int) -> List[Row]:
        return list(self._stream(since))

    def _stream(self, since: int) -> Iterator[Row]:
        cursor = self._db.execute(
            self._db.sql("SELECT seq, type, event_key, event, hash FROM cit_journal WHERE seq >= ? ORDER BY seq"),
            (since,),
        )
        for r in cursor:
            yield (int(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]))

    def events(self, since: int = 0) -> List[dict[str, Any]]:
        """The stored events from sequence number ``since`` on, in order, as the JSON
        documents read them (money as decimal strings, dates as ISO text): each can be
        given back to `cit.Registry.apply`."""
        out = []
        for seq, _type, _key, text, _hash in self._rows(since):
            try:
                out.append(json.loads(text))
            except ValueError as e:
                raise CorruptRowError(f"{self.name}: event {seq} is not JSON: {e}", seq=seq) from None
        return out

    def registry(self) -> Registry:
        """The `cit.Registry` folded from every stored event: the journal's own, brought up
        to date with what other writers stored, and kept up to date by `append`. Store
        events with `append`: an event applied to the registry directly is not stored (the
        journal notices and folds its stored events again; `copy.copy` gives a registry of
        your own)."""
        return self._caught_up(self.version)

    def _caught_up(self, version: int) -> Registry:
        """The journal's own registry, with every stored event up to ``version`` applied."""
        registry = self._registry
        if registry is not None and registry.version != self._folded:
            registry = None  # events were applied to it directly: not the stored journal
        if registry is not None and registry.version > version:
            raise TamperedError(
                f"{self.name}: the journal held {registry.version} events and now holds {version}: "
                f"the events from {version} on were removed",
                seq=version,
            )
        since = 0 if registry is None else registry.version
        rows = [r for r in self._rows(since) if r[0] < version] if since < version else []
        for expected, row in enumerate(rows, start=since):
            if row[0] != expected:
                raise _missing(self.name, expected, f"the next stored is {row[0]}")
        texts = [r[3] for r in rows]
        try:
            if registry is None:
                registry = Registry.from_json("[" + ",".join(texts) + "]")
                if registry.version != len(texts):
                    # A row that is not one event, or one that records nothing: folded
                    # again row by row, to name it.
                    registry = Registry()
                    self._fold(registry, texts, 0)
            elif texts:
                self._fold(registry, texts, since)
        except CitError as e:
            if isinstance(e, StoreError):
                raise
            raise self._corrupt(e, since) from e
        self._registry = registry
        self._folded = registry.version
        return registry

    def _fold(self, registry: Registry, texts: List[str], since: int) -> None:
        """Applies the stored events `texts`, from sequence number `since`, one each."""
        for k, outcome in enumerate(registry.apply_all(texts, expected_version=since)):
            if outcome["outcome"] != "recorded":
                raise CorruptRowError(
                    f"{self.name}: event {since + k} records nothing ({outcome['outcome']}): "
                    "a journal never holds such an event",
                    seq=since + k,
                )

    def _corrupt(self, e: CitError, since: int) -> CorruptRowError:
        """The core's refusal of a stored event, as the row it came from."""
        seq = since + (e.event or 0)
        return CorruptRowError(f"{self.name}: event {seq} is not a valid event of the journal: {e}", seq=seq, path=e.path)

    # -- writing ---------------------------------------------------------------------

    def append(self, events: Iterable[Any], expected_version: Optional[int] = None) -> int:
        """Appends events — dicts shaped like the event JSON, or JSON texts — all or none,
        and returns the journal's version after them.

        The events are checked by the core against every stored event first; a refused
        event raises the core's error (its position in ``path``) and nothing is stored.
        With ``expected_version``, the append happens only if the journal is at that
        version; otherwise `cit.ConflictError` is raised — unless the events stored from
        that version on are these very events (a retry after a lost acknowledgement), which
        stores nothing and returns the version. An empty append stores nothing and returns
        the version once every append begun before it has ended (it takes the writers'
        lock): after a writer was killed, it is the version with its last transaction
        settled."""
        events = list(events)
        with self._db.writing():
            registry = self._caught_up(self.version)
            before = registry.version
            outcomes = registry.apply_all(events, expected_version=expected_version)
            try:
                rows = []
                previous = self._last_hash(before)
                for event, outcome in zip(events, outcomes):
                    if outcome["outcome"] != "recorded":
                        continue
                    entry = _cit.journal_entry(event)
                    type_name, key, text = entry["type"], entry["key"], entry["event"]
                    previous = chain(previous, text)
                    rows.append((outcome["seq"], type_name, key, text, previous))
                self._insert(rows)
            except BaseException:
                self._registry = None  # ahead of the database: read again next time
                raise
        self._folded = registry.version
        return registry.version

    def _last_hash(self, version: int) -> str:
        if version == 0:
            return ""
        row = self._db.fetchone("SELECT hash FROM cit_journal WHERE seq = ?", (version - 1,))
        if row is None:
            raise _missing(self.name, version - 1, "no row")
        return str(row[0])

    def _insert(self, rows: List[Row]) -> None:
        if rows:
            sql = self._db.sql("INSERT INTO cit_journal (seq, type, event_key, event, hash) VALUES (?, ?, ?, ?, ?)")
            self._db.executemany(sql, rows)

    # -- auditing --------------------------------------------------------------------

    def verify(self) -> None:
        """Recomputes the hash chain over every stored event. Returns ``None`` if it holds;
        raises `TamperedError` with the first sequence number edited, deleted or moved, or
        `CorruptRowError` for a row that is not a valid event."""
        previous = ""
        expected = 0
        for seq, type_name, key, text, stored in self._stream(0):
            if seq != expected:
                raise _missing(self.name, expected, f"the next stored is {seq}")
            if chain(previous, text) != stored:
                raise TamperedError(
                    f"{self.name}: event {seq} does not match its hash: edited or moved after it was stored", seq=seq
                )
            try:
                canonical = _cit.journal_entry(text)
            except CitError as e:
                raise CorruptRowError(f"{self.name}: event {seq} is not a valid event: {e}", seq=seq, path=e.path) from e
            if canonical != {"type": type_name, "key": key, "event": text}:
                raise CorruptRowError(
                    f"{self.name}: event {seq} is not stored in its canonical form (type, key and JSON as cit writes them)",
                    seq=seq,
                )
            previous = stored
            expected += 1


__all__ = [
    "ERROR_CODES",
    "FORMAT",
    "SCHEMA_VERSION",
    "CorruptRowError",
    "Journal",
    "JournalVersionError",
    "NotAJournalError",
    "StoreError",
    "TamperedError",
    "chain",
    "open",
]
