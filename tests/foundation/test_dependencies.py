"""A release installs what was tested: bounded ranges, exact pins for what Saleor lacks."""

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def _requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [req for group in project["optional-dependencies"].values() for req in group]
    return [Requirement(text) for text in project["dependencies"] + extras]


def _pins():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            pins[name.strip().lower()] = pinned.strip()
    return pins


def test_every_declared_dependency_has_an_upper_bound():
    unbounded = [
        str(req)
        for req in _requirements()
        if not any(spec.operator in ("<", "<=", "==", "~=") for spec in req.specifier)
    ]
    assert unbounded == []


def test_the_tested_environment_has_exactly_the_pinned_versions():
    pins = _pins()
    assert "python-amazon-sp-api" in pins and "jsonschema" in pins
    assert {name: version(name) for name in pins} == pins


def test_the_pins_lie_within_the_declared_ranges():
    declared = {req.name.lower(): req for req in _requirements()}
    for name, pinned in _pins().items():
        if name in declared:
            assert declared[name].specifier.contains(pinned), (name, pinned)
