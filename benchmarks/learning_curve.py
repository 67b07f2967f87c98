"""Learning curve of the learned extractor: cross-validated scores with a share of the
training pages, so we know whether more annotation pays.

For each share (25%, 50%, 100% by default) and each of the 5 folds (split by page), the model
is trained on that share of the other folds' pages (a seeded sample) and scored on the whole
held-out fold; the pooled predictions are scored at the threshold that maximises F1.

    .venv/bin/python benchmarks/learning_curve.py [--train ../shared/eval/train.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRAIN = ROOT.parent / "shared" / "eval" / "train.jsonl"


def learning_curve(train_path: Path, shares: list[float]) -> list[dict[str, float]]:
    """Cross-validated precision, recall and F1 for each share of the training pages."""
    from armswatch.evaluate import Prediction, score
    from armswatch.learn.train import (
        FOLDS,
        SEED,
        THRESHOLDS,
        at_threshold,
        examples_of,
        fit_model,
        folds_of,
        parse_pages,
        predict_pages,
    )
    from armswatch.nlp.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    pages = parse_pages([train_path])
    fold = folds_of(pages)
    gold = [page.gold for page in pages]
    rows = []
    for share in shares:
        started = time.perf_counter()
        pooled: dict[str, Prediction] = {}
        used = 0
        for k in range(FOLDS):
            others = [page for page, f in zip(pages, fold, strict=True) if f != k]
            sample = random.Random(SEED + k).sample(others, max(1, round(share * len(others))))
            used += len(sample)
            model = fit_model(examples_of(sample, gazetteer), {})
            test = [page for page, f in zip(pages, fold, strict=True) if f == k]
            pooled.update(predict_pages(model, test))
        scored = [(score(gold, at_threshold(pooled, t), gazetteer.canonical_system), t)
                  for t in THRESHOLDS]
        best_score, threshold = max(scored, key=lambda pair: pair[0].f1)
        rows.append({
            "share": share,
            "training_pages_per_fold": round(used / FOLDS),
            "threshold": threshold,
            "precision": round(best_score.precision, 4),
            "recall": round(best_score.recall, 4),
            "f1": round(best_score.f1, 4),
            "seconds": round(time.perf_counter() - started, 1),
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.train.is_file():
        sys.exit(f"{args.train}: no annotated training pages there")
    rows = learning_curve(args.train, args.shares)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("share  pages/fold  threshold  precision  recall  F1")
    for row in rows:
        print(f"{row['share']:>5.0%}  {row['training_pages_per_fold']:>10}  "
              f"{row['threshold']:>9}  {row['precision']:>9.3f}  {row['recall']:>6.3f}  "
              f"{row['f1']:.3f}")


if __name__ == "__main__":
    main()
