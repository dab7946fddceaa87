"""Translation latency over the 70-query test corpus: parser time vs our own code.

Usage: .venv/bin/python bench/translate_corpus.py [ROUNDS]
"Parse" is hogql-parser's C++ ``parse_select_json`` + ``json.loads``; "ours" is everything
``translate_hogql`` does beyond that (placeholders, limits, resolution, both printers).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.server_hogql.corpus import CORPUS
from workbench.server.hogql import translate_hogql
from workbench.server.hogql.parser import parse_select


def _ms(fn: object, query: str, rounds: int) -> float:
    best = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn(query)  # type: ignore[operator]
        best.append((time.perf_counter() - started) * 1000)
    return statistics.median(best)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    started = time.perf_counter()
    parse_select("select 1")
    print(f"first parse (loads the parser): {(time.perf_counter() - started) * 1000:.1f} ms")
    parse_ms, total_ms = [], []
    for _name, hogql, _ in CORPUS:
        parse_ms.append(_ms(parse_select, hogql, rounds))
        total_ms.append(_ms(lambda q: translate_hogql(q, team_id=1), hogql, rounds))
    # Our own code alone: parse results served from memory. translate_hogql copies the tree
    # (placeholder filling) before changing it, so a cached tree stays valid.
    import workbench.server.hogql.translate as translate_module

    trees = {hogql: parse_select(hogql) for _, hogql, _ in CORPUS}
    real_parse = translate_module.parse_select
    translate_module.parse_select = trees.__getitem__  # type: ignore[assignment]
    try:
        ours = [_ms(lambda q: translate_hogql(q, team_id=1), h, rounds) for _, h, _ in CORPUS]
    finally:
        translate_module.parse_select = real_parse  # type: ignore[assignment]
    for label, values in (
        ("parse", parse_ms),
        ("translate total", total_ms),
        ("ours (no parse)", ours),
    ):
        print(
            f"{label:>16}: median {statistics.median(values):6.2f} ms, "
            f"p90 {statistics.quantiles(values, n=10)[-1]:6.2f} ms, max {max(values):6.2f} ms"
        )
    print(f"{len(CORPUS)} queries, median of {rounds} rounds each")


if __name__ == "__main__":
    main()
