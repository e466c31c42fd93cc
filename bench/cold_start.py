"""Cold start: spawn a stdio server and time until tools/list is answered."""

from __future__ import annotations

import compileall
import json
import subprocess
import time

from common import PYTHON, REPO, clean_env, median

MESSAGES = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def time_to_tools_list(args: list[str]) -> float:
    """Seconds from spawn to the tools/list response line."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO, env=clean_env(), text=True
    )
    assert process.stdin and process.stdout
    process.stdin.write("".join(json.dumps(m) + "\n" for m in MESSAGES))
    process.stdin.flush()
    try:
        for line in process.stdout:
            if '"id":2' in line.replace(" ", ""):
                return time.perf_counter() - start
        raise RuntimeError(f"no tools/list answer from {args}")
    finally:
        process.stdin.close()
        process.terminate()
        process.wait(timeout=10)


def compile_package() -> None:
    """Write the package's bytecode first, as installing a wheel does: an editable install under
    PYTHONDONTWRITEBYTECODE (set on these machines) would otherwise compile every module at every start."""
    compileall.compile_dir(str(REPO / "polytomic_mcp"), quiet=1)


def run(rounds: int = 7) -> dict[str, float]:
    """Median cold start of the project and of the bare baseline, interleaved so drift hits both."""
    compile_package()
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(rounds):
        ours.append(time_to_tools_list([PYTHON, "-m", "polytomic_mcp", "--sandbox"]))
        bare.append(time_to_tools_list([PYTHON, str(REPO / "bench" / "bare_server.py")]))
    return {"polytomic_ms": median(ours) * 1000, "bare_ms": median(bare) * 1000, "ratio": median(ours) / median(bare)}
