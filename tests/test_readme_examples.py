"""The README's Python examples run as written, in order, against `restli serve`.

Four are templates with values only a user has and are run elsewhere or not at all:
the OAuth walk-through (it needs a member's authorization code; the drop-in scripts
run that flow), the pytest example (run as a project of its own by
test_readme_pytest_example.py), the fleet setup (run with a server-issued refresh
token by test_readme_fleet_example.py) and the adapter skeleton (``my_library_call``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
TEMPLATES = (
    "generate_pkce_pair",
    "def test_throttled_once",
    "my_library_call",
    "REFRESH_DEADLINE",
)


def test_the_readme_examples_run_in_order(api_root: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESTLI_API_ROOT", api_root)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    runnable = [b for b in blocks if not any(t in b for t in TEMPLATES)]
    assert len(runnable) >= 8
    namespace: dict[str, object] = {"TOKEN": "AQX-readme-token", "__name__": "readme"}
    for number, block in enumerate(runnable, 1):
        try:
            exec(compile(block, f"README block {number}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message says which block
            pytest.fail(f"README block {number} failed: {type(exc).__name__}: {exc}\n{block}")
