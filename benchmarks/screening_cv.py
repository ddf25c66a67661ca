"""The learned model on writers it never met: leave one writer's set out, train, measure it.

    .venv/bin/python benchmarks/screening_cv.py heldout14 final19 ...   # needs '.[train]'

For each subset named, trains the model without it (scripts/train_screening_model.py --without)
unless /tmp/clearpost-cv/without-<subset>.json.gz exists, then screens that subset with the rules
alone and with rules and model. Rules were tuned on some sets (benchmarks/README.md says which);
a set no rule was tuned on gives the honest figure.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.screening import ContextScreener, Practice  # noqa: E402
from tests.screening.evaluation import Counts, load, screen_all, subset  # noqa: E402

MODELS = Path("/tmp/clearpost-cv")


def model_without(name: str) -> Path:
    path = MODELS / f"without-{name}.json.gz"
    if not path.exists():
        MODELS.mkdir(exist_ok=True)
        script = ROOT / "scripts" / "train_screening_model.py"
        cmd = [sys.executable, str(script), "--without", name, "--out", str(path)]
        subprocess.run(cmd, check=True)
    return path


def main() -> None:
    practice, rows = load()
    totals = {"rules": Counts(), "rules + model": Counts()}
    for name in sys.argv[1:]:
        held = [r for r in rows if subset(r["id"]) == name]
        for label, model in (("rules", None), ("rules + model", model_without(name))):
            screener = ContextScreener(Practice.from_mapping(practice), model_file=model)
            phi = screen_all(screener, held).phi
            total = totals[label]
            total.tp, total.fp, total.fn, total.tn = (
                total.tp + phi.tp,
                total.fp + phi.fp,
                total.fn + phi.fn,
                total.tn + phi.tn,
            )
            print(f"{name:10} {label:14} precision {phi.precision:.3f}  recall {phi.recall:.3f}")
    for label, total in totals.items():
        posts = total.tp + total.fp + total.fn + total.tn
        print(
            f"all {posts} posts, {label:14} precision {total.precision:.3f}  "
            f"recall {total.recall:.3f}"
        )


if __name__ == "__main__":
    main()
