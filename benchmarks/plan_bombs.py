"""Time and peak memory of `clearpost import` on hostile plans (and a good one, the baseline).

Each file is imported by its own `python -m adapters.cli import` process against a fresh SQLite
database; the figures are that process's wall time and peak RSS (os.wait4), so they include the
interpreter and its imports. Run: `.venv/bin/python benchmarks/plan_bombs.py`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.export.test_plan_bombs import (  # noqa: E402
    SHEET,
    blank_rows,
    rewritten,
    shared_strings,
    workbook,
)

SOON = (datetime.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
GOOD = [SOON, "blog", None, None, "Open house Friday"]


def bombs() -> dict[str, bytes]:
    urls = "\n".join(f"https://cdn.example.org/{n}.jpg" for n in range(400_000))
    return {
        "good plan, 1 row (baseline)": workbook(GOOD),
        "good plan, 1,000 rows": workbook(
            *([SOON + timedelta(minutes=n), "blog", None, None, f"Post {n}"] for n in range(1000))
        ),
        "sheet claiming A1:XFD1048576": rewritten(
            workbook(GOOD),
            SHEET,
            lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
        ),
        "shared strings, 1 GB inflated": rewritten(
            workbook(GOOD), "xl/sharedStrings.xml", shared_strings(1024)
        ),
        "900,000 blank rows": rewritten(workbook(GOOD), SHEET, blank_rows(900_000)),
        "one row, 400,000 media URLs": workbook([*GOOD, None, urls]),
        "broken XML": rewritten(workbook(GOOD), SHEET, lambda xml: xml[: len(xml) // 2]),
    }


def main() -> None:
    print("| file | size | seconds | peak RSS | outcome |")
    print("|------|-----:|--------:|---------:|---------|")
    for name, data in bombs().items():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "plan.xlsx"
            path.write_bytes(data)
            env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARPOST_")}
            env |= {
                "CLEARPOST_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "CLEARPOST_CONFIG": f"{tmp}/absent.toml",
            }
            started = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-m", "adapters.cli", "import", str(path), "--as", "slack:U1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            assert child.stdout is not None
            output = child.stdout.read().decode(errors="replace")
            _, _, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
            first = " ".join(output.split())[:70]
            print(
                f"| {name} | {len(data) / 1024:,.0f} KB | {seconds:.2f} | "
                f"{usage.ru_maxrss / 1024:.0f} MB | {first} |"
            )


if __name__ == "__main__":
    main()
