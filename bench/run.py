"""Run every benchmark, print a table with the budgets, and write the figures as JSON.

    python bench/run.py            # all figures (a few minutes on 2 cores)
    python bench/run.py --quick    # fewer rounds, for a smoke check
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import anyio  # noqa: E402
import bounding  # noqa: E402
import cold_start  # noqa: E402
import context_cost  # noqa: E402
import exposure  # noqa: E402
import http_load  # noqa: E402
import overhead  # noqa: E402
import result_size  # noqa: E402
import state_overhead  # noqa: E402
import tenants  # noqa: E402
from common import REPO, sandbox_http  # noqa: E402

BUDGETS = {
    "cold start ratio vs bare mcp server": ("<= 1.15", lambda r: r["cold_start"]["ratio"] <= 1.15),
    "stdio tool-call overhead (median)": ("<= 1.5 ms", lambda r: r["overhead"]["stdio_added_ms"] <= 1.5),
    "tools in the default configuration": ("<= 25", lambda r: r["context"]["tools"] <= 25),
    "tools/list model-facing (no output schemas or icons)": ("<= 4,000 tokens", lambda r: r["context"]["model_facing_tokens"] <= 4000),
    "tools/list whole": ("<= 6,000 tokens", lambda r: r["context"]["total_tokens"] <= 6000),
    "largest list/get result, API paged and unpaged": ("<= 4,000 tokens", lambda r: r["result_size"]["largest"] <= 4000),
    "every list result, API paged and unpaged": ("<= 4,000 tokens", lambda r: r["result_size"]["largest_list"] <= 4000),
    "HTTP p99 / p50 (50 x 20, stateless)": ("<= 3", lambda r: r["http"]["p99_over_p50"] <= 3),
    "bound a 1 MB answer (many keys, small lists, deep)": ("<= 50 ms", lambda r: r["bounding"]["worst_bound_ms"] <= 50),
    "cheap call's extra wait while a 1 MB answer is rendered": ("<= +50 ms", lambda r: r["bounding"]["worst_render_delay_ms"] <= 50),
    "cheap call's extra wait while call_api brings back 1 MB": ("<= +50 ms", lambda r: r["bounding"]["worst_call_api_delay_ms"] <= 50),
    "shared-state steps of a creating call, Redis on loopback over in-process (median)": (
        "<= +1 ms", lambda r: r["state"]["redis_added_ms"] <= 1.0),
    "a tenant's latency during 100 anonymous /readyz a second": (
        "<= 2x idle", lambda r: r["exposure"]["latency"]["readyz_flood_ms"] <= 2 * r["exposure"]["latency"]["idle_ms"]),
    "a tenant's latency during one caller's session and stream flood": (
        "<= 2x idle", lambda r: r["exposure"]["latency"]["session_flood_ms"] <= 2 * r["exposure"]["latency"]["idle_ms"]),
}


async def collect(quick: bool) -> dict[str, object]:
    results: dict[str, object] = {}
    results["cold_start"] = cold_start.run(rounds=3 if quick else 9)
    with sandbox_http() as url:
        results["overhead"] = await overhead.run(url, rounds=40 if quick else 300)
    results["context"] = await context_cost.run()
    results["result_size"] = await result_size.run()
    results["bounding"] = await bounding.run(rounds=3 if quick else 7)
    results["http"] = await http_load.run(clients=50, calls=5 if quick else 20)
    results["exposure"] = await exposure.run(rounds=5 if quick else 15)
    results["state"] = await state_overhead.run(rounds=300 if quick else 2_000)
    results["tenants"] = await tenants.run(steps=(200, 1_000) if quick else (1_000, 5_000), rounds=5 if quick else 20)
    return results


def table(results: dict[str, dict]) -> str:
    c, o, x, s, h = (results[k] for k in ("cold_start", "overhead", "context", "result_size", "http"))
    rows = [
        ("cold start, `polytomic-mcp --sandbox` (stdio, to tools/list)", f"{c['polytomic_ms']:.0f} ms", "median"),
        ("cold start, bare mcp server with one tool", f"{c['bare_ms']:.0f} ms", "median"),
        ("cold start ratio", f"{c['ratio']:.2f}", "budget <= 1.15"),
        ("list_connections(connection_id), client direct (HTTP to sandbox)", f"{o['direct_ms']:.2f} ms", "median"),
        ("list_connections(connection_id) over stdio", f"{o['stdio_ms']:.2f} ms (+{o['stdio_added_ms']:.2f})", "budget <= +1.5 ms"),
        ("no-op tool of a bare mcp server over stdio (transport floor)", f"{o['bare_stdio_ping_ms']:.2f} ms", "reference"),
        ("list_connections(connection_id) in memory", f"{o['memory_ms']:.2f} ms (+{o['memory_added_ms']:.2f})", ""),
        ("list_connections(connection_id) over Streamable HTTP", f"{o['http_ms']:.2f} ms (+{o['http_added_ms']:.2f})", ""),
        ("tools in the default configuration", f"{x['tools']}", "budget <= 25"),
        ("tools/list model-facing (no output schemas or icons)", f"~{x['model_facing_tokens']:,.0f} tokens", "budget <= 4,000 tokens"),
        ("tools/list whole", f"{x['total_chars']:,} chars, ~{x['total_tokens']:,.0f} tokens", "budget <= 6,000 tokens"),
        *((f"toolset {name} alone", f"{t['tools']} tools, ~{t['model_facing_tokens']:,.0f} tokens model-facing", "")
          for name, t in x["toolsets"].items()),
        ("most expensive tools", ", ".join(f"{t['tool']} {t['tokens']:.0f}" for t in x["top5"]), "tokens"),
        *result_size.rows(s),
        *bounding.rows(results["bounding"]),
        ("HTTP 50 clients x 20 calls, stateless", f"{h['throughput_per_s']:.0f} calls/s, p50 {h['p50_ms']:.1f} ms, p99 {h['p99_ms']:.1f} ms", ""),
        ("HTTP p99 / p50", f"{h['p99_over_p50']:.2f}", "budget <= 3"),
        *state_overhead.rows(results["state"]),
        *tenants.rows(results["tenants"]),
        *exposure.rows(results["exposure"]),
    ]
    lines = ["| measure | value | note |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {n} |" for a, b, n in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "latest.json")
    args = parser.parse_args()
    results = anyio.run(collect, args.quick)
    verdicts = {name: {"budget": budget, "met": bool(check(results))} for name, (budget, check) in BUDGETS.items()}
    machine = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    payload = {"date": datetime.date.today().isoformat(), "machine": machine, "results": results, "budgets": verdicts}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2))
    print(f"{payload['date']}, {machine['cores']} cores, Python {machine['python']}\n")
    print(table(results))
    print()
    for name, verdict in verdicts.items():
        print(f"{'met ' if verdict['met'] else 'MISS'}  {name} ({verdict['budget']})")
    print(f"\nfigures written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
