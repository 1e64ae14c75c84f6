"""In a corpus, `formula` means boilerplate of the genre: wording that recurs across many
documents *and* senders. Where every document names one sender (the DPRK's 34 speeches), what
most of them repeat is that sender's own rhetoric ("peace and security in the Korean peninsula"):
before, it was labelled formula and left out of distinctive similarity; now it stays phrasing and
its reason says why. Where no sender is named, corpus frequency still stands for the genre."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from docdiff.corpus.query import compare_in_index
from docdiff.engine.classify import OWN_WORDING_REASON, frequent_words
from docdiff.index import CorpusIndex
from docdiff.model import Kind, Report

RECURRING = (
    "The situation remains calm and is kept under close observation by our officers in the "
    "district."
)


def _corpus(folder: Path) -> list[Path]:
    """Forty reports of unrelated words; twenty-five of them end on the same sentence."""
    rng = random.Random(3)
    paths = []
    for n in range(40):
        words = " ".join(f"w{rng.randrange(9000)}" for _ in range(60))
        text = f"{words}. {RECURRING if n < 25 else ''}\n"
        path = folder / f"r{n:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _compared(tmp_path: Path, senders: list[str] | None) -> Report:
    folder = tmp_path / "reports"
    folder.mkdir()
    paths = _corpus(folder)
    meta = (
        {str(p.resolve()): {"sender": senders[n % len(senders)]} for n, p in enumerate(paths)}
        if senders
        else None
    )
    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        idx.update([folder], meta=meta)
        a, b = idx.get("reports/r00.txt"), idx.get("reports/r01.txt")
        return compare_in_index(idx, a, b)


def _recurring(report: Report) -> tuple[Kind, str]:
    (match,) = [m for m in report.pairs[0].matches if "observation" in m.shared]
    return match.kind, match.reason


def test_one_sender_s_recurring_wording_is_phrasing(tmp_path: Path) -> None:
    report = _compared(tmp_path, ["Northgate Embassy"])
    kind, reason = _recurring(report)
    assert kind is Kind.PHRASING
    assert reason.startswith(OWN_WORDING_REASON)
    assert "one sender (Northgate Embassy)" in reason
    assert report.settings["few_senders"] == ["Northgate Embassy"]
    assert report.pairs[0].summary.distinctive_similarity > 0


@pytest.mark.parametrize("senders", [None, ["Arcadia", "Borealia", "Corvinia"]])
def test_many_or_unnamed_senders_make_it_a_formula(
    tmp_path: Path, senders: list[str] | None
) -> None:
    report = _compared(tmp_path, senders)
    kind, reason = _recurring(report)
    assert kind is Kind.FORMULA, reason
    assert report.settings["few_senders"] == []


def test_frequent_words_counts_each_word_of_the_frequent_sequences_once() -> None:
    hashes = list(range(10))  # one k-gram a token; k-grams 2, 3 and 7 frequent
    frequent = {2, 3, 7}

    def doc_freq(h: int) -> float:
        return 0.5 if h in frequent else 0.0

    # 2-4 and 3-5 overlap: tokens 2..5 (4); 7 runs past the passage's k-grams' reach.
    assert frequent_words(hashes, doc_freq, 0, 10, 3) == 4 + 3
    assert frequent_words(hashes, doc_freq, 0, 8, 3) == 4
    assert frequent_words(hashes, doc_freq, 4, 6, 3) == 0


@pytest.mark.parametrize(
    ("sender", "said"),
    [("Northgate Embassy", "one sender: the documents name 1 sender"), (None, "senders unknown:")],
)
def test_a_query_says_what_the_index_s_senders_mean(
    tmp_path: Path, sender: str | None, said: str
) -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    folder = tmp_path / "reports"
    folder.mkdir()
    paths = _corpus(folder)
    db = str(tmp_path / "i.db")
    build = ["index", "build", str(folder), "--db", db]
    if sender is not None:
        meta = tmp_path / "meta.csv"
        rows = ["path,sender", *(f"{p.resolve()},{sender}" for p in paths)]
        meta.write_text("\n".join(rows) + "\n", encoding="utf-8")
        build += ["--meta", str(meta)]
    runner = CliRunner()
    built = runner.invoke(app, build)
    assert built.exit_code == 0, built.output
    copy = tmp_path / "copy.txt"  # a new letter copied from one of the reports
    copy.write_text(paths[1].read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["query", str(copy), "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert said in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("senders", "kind"),
    [(["Northgate Embassy"], Kind.PHRASING), (["Arcadia", "Borealia", "Corvinia"], Kind.FORMULA)],
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_scan_reads_the_senders_as_a_comparison_does(
    tmp_path: Path, senders: list[str], kind: Kind, jobs: int
) -> None:
    from docdiff.corpus.scan import scan

    folder = tmp_path / "reports"
    folder.mkdir()
    paths = _corpus(folder)
    # Two reports also share a rare sentence, so that the scan aligns them (the recurring one
    # is too frequent to seed a pair).
    for path in paths[:2]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "Quartermaster Lindqvist ferried eleven crates upriver.\n")
    meta = {str(p.resolve()): {"sender": senders[n % len(senders)]} for n, p in enumerate(paths)}
    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        idx.update([folder], meta=meta)
        report = scan(idx, jobs=jobs)
    kinds = {m.kind for p in report.pairs for m in p.matches if "observation" in m.shared}
    assert kinds == {kind}, [p.matches for p in report.pairs]
    assert report.settings["senders_named"] == len(senders)
