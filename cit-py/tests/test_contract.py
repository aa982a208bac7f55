"""The contract between the bindings (the README's *One contract* table): Python offers
exactly the entry points the table lists in its Python column, with the parameters it
names in the same order (an optional one, `?`, has a default), properties as properties;
and every public name of `cit`, `cit.pagopa` and of their classes is in the table. The node
tests hold the JavaScript column to the same table (cit-wasm/test/contract.test.mjs)."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any, List, Optional, Set, Tuple

import pytest

import cit
import cit.pagopa
from conftest import ROOT

CELL = re.compile(r"^`(?P<name>[A-Za-z_][\w.]*)(?:\((?P<params>[^)]*)\))?`$")


@dataclass(frozen=True)
class Entry:
    """One cell of the table: a dotted name, and its parameters if it is called."""

    name: str
    params: Optional[Tuple[Tuple[str, bool], ...]]  # (name, optional); None: a property

    def __str__(self) -> str:
        return self.name


def parse(cell: str) -> Optional[Entry]:
    cell = cell.strip()
    if cell == "—":
        return None
    m = CELL.match(cell)
    assert m, f"not an entry point: {cell!r}"
    params = m.group("params")
    if params is None:
        return Entry(m.group("name"), None)
    names = [p.strip() for p in params.split(",") if p.strip()]
    return Entry(m.group("name"), tuple((p.rstrip("?"), p.endswith("?")) for p in names))


def table() -> List[Tuple[Optional[Entry], Optional[Entry], str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split("<!-- entry-points:start -->")[1].split("<!-- entry-points:end -->")[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 3, line
        rows.append((parse(cells[0]), parse(cells[1]), cells[2]))
    return rows


ROWS = table()
PYTHON = [py for py, _, _ in ROWS if py is not None]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def same(py: Optional[Entry], js: Optional[Entry]) -> bool:
    """The same entry point in both columns: the same name (snake_case, a Python module
    prefix apart), the same parameters in the same order, both called or both properties."""
    if py is None or js is None:
        return False
    py_name = py.name.split(".", 1)[1] if py.name.startswith("pagopa.") else py.name
    js_params = None if js.params is None else tuple((snake(n), o) for n, o in js.params)
    return py_name == snake(js.name) and py.params == js_params


def test_a_row_says_why_exactly_when_the_bindings_differ() -> None:
    for py, js, why in ROWS:
        assert py or js, "an empty row"
        assert bool(why) != same(py, js), f"{py} / {js}: {why!r}"


def resolve(name: str) -> Tuple[Any, Any, str]:
    """The owner (module or class), the attribute as stored there, and its last name."""
    owner: Any = cit
    parts = name.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    last = parts[-1]
    raw = inspect.getattr_static(owner, last) if isinstance(owner, type) else getattr(owner, last)
    return owner, raw, last


@pytest.mark.parametrize("entry", PYTHON, ids=[e.name for e in PYTHON])
def test_python_offers_each_entry_point_of_the_table(entry: Entry) -> None:
    owner, raw, last = resolve(entry.name)
    if entry.params is None:
        if isinstance(owner, type):
            assert inspect.isdatadescriptor(raw), f"{entry} must be a property"
        return
    target = getattr(owner, last)  # a class named alone is its constructor (`Registry()`)
    assert callable(target), f"{entry} must be callable"
    params = [p for p in inspect.signature(target).parameters.values() if p.name not in ("self", "cls")]
    got = [(p.name, p.default is not inspect.Parameter.empty) for p in params]
    assert got == list(entry.params), f"{entry}: {got}"


def public(obj: Any) -> Set[str]:
    return {n for n in dir(obj) if not n.startswith("_")}


def test_every_public_name_of_the_package_is_in_the_table() -> None:
    listed = {e.name for e in PYTHON}
    skipped = {"errors", "pagopa", "store", "types"}  # Python's own modules (see the README)
    found: Set[str] = set()
    for name in cit.__all__:
        value = getattr(cit, name)
        if name in skipped or (isinstance(value, type) and issubclass(value, (BaseException,))):
            continue
        if name == "Problem":  # the invalid document's problems, part of the errors
            continue
        if isinstance(value, type):
            found |= {f"{name}.{m}" for m in public(value)}
            if name == "Registry":
                found.add("Registry")
        else:
            found.add(name)
    found |= {f"pagopa.{n}" for n in cit.pagopa.__all__}
    assert found - listed == set(), "public in Python, missing from the README's table"
    assert listed - found == set(), "in the table, not public in Python"
