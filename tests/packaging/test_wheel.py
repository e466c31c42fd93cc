"""The built wheel carries everything the package reads at run time, the license and one version; ``--version`` prints it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from polytomic_mcp import __version__
from polytomic_mcp.cli import main
from polytomic_mcp.tools import ToolName

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "polytomic_mcp"


def _data_files() -> set[str]:
    """Every file in the package that is not Python source: what ``importlib.resources`` reads, plus the py.typed marker."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }


def test_version_flag_prints_the_package_version_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"polytomic-mcp {__version__}\n"


def test_an_unknown_flag_still_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-such-flag"]) == 2
    assert "--no-such-flag" in capsys.readouterr().err


def test_the_version_lives_in_one_place() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert '[tool.hatch.version]\npath = "polytomic_mcp/__init__.py"' in pyproject
    assert "\nversion = " not in pyproject.split("[tool.", 1)[0], "a second version in [project]"


def test_the_run_time_data_files_are_the_ones_the_package_expects() -> None:
    files = _data_files()
    assert {"polytomic_mcp/py.typed", "polytomic_mcp/catalog/operations.json", "polytomic_mcp/catalog/responses.json",
            "polytomic_mcp/server/instructions.md", "polytomic_mcp/server/apps/html/sync.html",
            "polytomic_mcp/server/apps/html/workspace.html",
            "polytomic_mcp/tools/core/manifest.json"} <= files
    descriptions = {f for f in files if f.startswith("polytomic_mcp/tools/") and "/descriptions/" in f}
    assert len(descriptions) == len(ToolName), "each tool's description sits in its family's descriptions/"


@pytest.mark.slow
def test_the_wheel_holds_the_data_files_the_license_and_the_version(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("polytomic_mcp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
        licenses = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        license_text = archive.read(licenses[0]).decode() if licenses else ""
    missing = sorted(_data_files() - names)
    assert missing == [], f"the wheel lacks {missing}"
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT"
    assert "Permission is hereby granted" in license_text
    assert "Typing :: Typed" in metadata.get_all("Classifier", [])
