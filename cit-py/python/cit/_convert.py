"""Python values to the JSON documents of the core (used by the compiled module).

Money must never pass through a float: a `float` anywhere in a document is refused with
its path, a `Decimal` is written with its exact digits, a `datetime.date` as ISO text.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from .errors import CitTypeError


def _plain(value: Any, path: str) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        raise CitTypeError(
            f"`{path}`: a float cannot hold amounts such as 0.15 exactly: pass a Decimal, an int or a str",
            code="wrong_type",
            path=path,
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CitTypeError(f"`{path}`: expected a finite Decimal, found {value}", code="wrong_type", path=path)
        return format(value, "f")  # the core reads money from decimal strings
    if isinstance(value, datetime.datetime):
        raise CitTypeError(f"`{path}`: expected a date, found a datetime", code="wrong_type", path=path)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise CitTypeError(f"`{path}`: keys must be str, found {type(k).__name__}", code="wrong_type", path=path)
            out[k] = _plain(v, f"{path}.{k}" if path != "." else k)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise CitTypeError(f"`{path}`: cannot write a {type(value).__name__} in a document", code="wrong_type", path=path)


def document_json(value: Any) -> str:
    """A dict (or list) as JSON text: Decimal → decimal string, date → ISO, float refused."""
    if isinstance(value, str):
        return value
    return json.dumps(_plain(value, "."), ensure_ascii=False)
