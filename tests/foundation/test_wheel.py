"""The wheel is what a merchant installs: the plugin alone, nothing of the development kit."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(  # noqa: S603 - our own interpreter building this repository
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (path,) = out.glob("saleor_amazon-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_the_plugin_and_nothing_else(wheel):
    names = wheel.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"saleor_amazon"}
    assert not [n for n in names if "sandbox" in n or "demo" in n or "devtools" in n]
    for needed in (
        "saleor_amazon/plugin.py",
        "saleor_amazon/migrations/0001_initial.py",
        "saleor_amazon/graphql/schema.graphql",
        "saleor_amazon/management/commands/amazon_import_orders.py",
    ):
        assert needed in names


def test_the_wheel_declares_the_plugin_and_only_runtime_dependencies(wheel):
    info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    runtime = [
        line.split(":", 1)[1].strip()
        for line in wheel.read(info).decode().splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert not [r for r in runtime if r.lower().startswith(("werkzeug", "pytest", "ruff"))]
    assert any(r.startswith("python-amazon-sp-api") for r in runtime)
    points = next(n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt"))
    assert "saleor_amazon = saleor_amazon.plugin:AmazonPlugin" in wheel.read(points).decode()
