"""`NotRequired` for the generated TypedDicts (`cit._types_generated`) on every Python cit
supports, without a dependency: `typing` has it from Python 3.11; on 3.10, typing_extensions'
if it is installed, else a stand-in that marks nothing at run time (a key it wraps counts as
required in `__required_keys__`; type checkers read it as `NotRequired`)."""

from __future__ import annotations

import sys

__all__ = ["NotRequired"]

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover - Python 3.10
    try:
        from typing_extensions import NotRequired
    except ImportError:

        class _NotRequired:
            def __getitem__(self, item: object) -> object:
                return item

        NotRequired = _NotRequired()
