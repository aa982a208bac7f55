"""The README's Python snippets run, against the installed wheel."""

from __future__ import annotations

import os
import re

from conftest import ROOT


def test_readme_python_snippets_run() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has Python snippets"
    cwd = os.getcwd()
    os.chdir(ROOT)  # the snippets open examples/… as a user in the checkout would
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
