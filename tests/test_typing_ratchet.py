"""The type-checking configuration only ever gets stricter (``[tool.mypy]`` in pyproject.toml).

``.ci/run`` runs mypy itself; this test guards the configuration it runs with: the core
stays strict and the list of modules whose errors are not reported yet may only shrink.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

# The ratchet as it was first written down. Take a module out of pyproject's list once it
# is clean (and out of here too, if you like); never add one.
RATCHET_CEILING = frozenset(
    {
        "retouch.ui.app",
        "retouch.ui.banner",
        "retouch.ui.batch_panel",
        "retouch.ui.canvas.mask_layer",
        "retouch.ui.canvas.panel",
        "retouch.ui.dialogs",
        "retouch.ui.history.panel",
        "retouch.ui.input_tray",
        "retouch.ui.main_window",
        "retouch.ui.qimage",
        "retouch.ui.results_view",
    }
)
STRICT_FLAGS = (
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "check_untyped_defs",
    "disallow_untyped_decorators",
    "warn_return_any",
    "no_implicit_reexport",
    "strict_equality",
    "extra_checks",
)
RELAXING = {
    "ignore_errors": True,
    "ignore_missing_imports": True,
    "follow_imports": "skip",
    "check_untyped_defs": False,
    "disallow_untyped_defs": False,
    "disallow_untyped_calls": False,
    "warn_return_any": False,
    "disable_error_code": None,
}


def mypy_config() -> dict[str, Any]:
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)["tool"]["mypy"]


def modules(override: dict[str, Any]) -> list[str]:
    module = override["module"]
    return [module] if isinstance(module, str) else list(module)


def relaxes(override: dict[str, Any]) -> bool:
    return any(
        key in override and (value is None or override[key] == value)
        for key, value in RELAXING.items()
    )


def test_the_ratchet_only_shrinks() -> None:
    relaxed = [m for o in mypy_config().get("overrides", []) if relaxes(o) for m in modules(o)]
    assert relaxed, "the ratchet list is gone: drop this test's ceiling too"
    grown = sorted(set(relaxed) - RATCHET_CEILING)
    assert not grown, f"modules added to the mypy ratchet (fix them instead): {grown}"
    assert not any(m.startswith("retouch.core") for m in relaxed)
    assert not any(m.endswith("*") for m in relaxed), "list modules one by one"


def test_the_core_is_strict() -> None:
    config = mypy_config()
    assert config.get("packages") == ["retouch"]
    assert config.get("warn_unused_ignores") is True
    core = [o for o in config.get("overrides", []) if "retouch.core.*" in modules(o)]
    assert len(core) == 1
    assert all(core[0].get(flag) is True for flag in STRICT_FLAGS)
    assert "ignore_errors" not in core[0] and "disable_error_code" not in core[0]
