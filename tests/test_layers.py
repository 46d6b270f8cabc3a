"""The import contract of pyproject.toml ([tool.importlinter], checked by ``lint-imports`` in CI)
covers every app of the project: an app it does not name would escape the layers."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def _ours(path: Path) -> bool:
    """An app of this repository (not one installed in its virtualenv)."""
    return path.is_relative_to(BASE) and not path.relative_to(BASE).parts[0].startswith(".")


def _contract():
    config = tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = (c for c in config["contracts"] if c["type"] == "layers" and "containers" not in c)
    return config["root_packages"], layers["layers"]


def test_every_app_of_the_project_is_a_root_package_and_in_a_layer():
    roots, layers = _contract()
    named = {name.strip("() ") for layer in layers for name in layer.replace(":", "|").split("|")}
    local = {c.name.split(".")[0] for c in apps.get_app_configs() if _ours(Path(c.path).resolve())}
    assert local <= set(roots), "add the new app to [tool.importlinter] root_packages in pyproject.toml"
    assert local <= named, "add the new app to the layers contract in pyproject.toml (docs/architecture.md)"


def test_every_app_is_layered_inside_and_kept_from_the_tools():
    """The intra-app contract (views -> services -> selectors -> models) and the forbidden contract
    (no product import of tools.bench) cover every product app: every root package but the tools."""
    config = tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]
    product = set(config["root_packages"]) - {"tools"}
    (inside,) = (c for c in config["contracts"] if "containers" in c)
    (forbidden,) = (c for c in config["contracts"] if c["type"] == "forbidden")
    assert set(inside["containers"]) == product
    assert set(forbidden["source_modules"]) == product
    assert forbidden["forbidden_modules"] == ["tools"]
