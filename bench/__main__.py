import argparse
import datetime
import importlib
import os
import platform
import sys
from pathlib import Path

from bench import SECTIONS

MODULES = ("bench.roster", "bench.eligibility", "bench.dashboard", "bench.api_load", "bench.scaling")
RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    body = [
        "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join([line, rule, *body])


def main() -> int:
    for module in MODULES:
        importlib.import_module(module)
    parser = argparse.ArgumentParser(prog="python -m bench", description="Performance comparisons.")
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], help="sections to run (default: all)")
    parser.add_argument("--rows", type=int, default=50_000, help="rows of generated data (default 50,000)")
    parser.add_argument(
        "--enterprises", type=int, help="enterprises for the eligibility, dashboard and api_load sections"
    )
    args = parser.parse_args()
    if args.enterprises:
        os.environ["BENCH_ENTERPRISES"] = str(args.enterprises)
    chosen = args.sections or list(SECTIONS)
    output = [
        f"# Benchmarks — {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Python {platform.python_version()}, {platform.machine()}",
        "",
    ]
    for name in chosen:
        title, header, rows, notes = SECTIONS[name](args.rows)
        text = "\n".join([f"## {title}", "", table(header, rows), "", *notes, ""])
        print(text, flush=True)
        output.append(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(output), encoding="utf-8")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
