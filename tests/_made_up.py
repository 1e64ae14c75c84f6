"""Made-up text for the formula miner's tests: words that no word list holds, sentences of
them, and a corpus written to a folder with its metadata as `docdiff --meta` reads it."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from docdiff.model import Document

WORDS = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
"""Made-up words of four letters ("bado", "zuto"): no general word list holds them."""


SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "du", "fi", "go", "he")
"""Syllables of longer made-up words (`filler`)."""


def filler(rng: random.Random, sentences: int) -> str:
    """`sentences` sentences of 8-14 made-up words of three to five syllables: so many words
    that two calls share no wording (`WORDS`, 280 of them, share short runs by chance)."""
    out = []
    for _ in range(sentences):
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5)))
            for _ in range(rng.randint(8, 14))
        ]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def sentence(rng: random.Random, n: int) -> str:
    """`n` made-up words, the first capitalised, and a full stop."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraphs(rng: random.Random, count: int, sentences: int, words: int = 14) -> list[str]:
    """`count` paragraphs of `sentences` made-up sentences of `words` words each."""
    return [" ".join(sentence(rng, words) for _ in range(sentences)) for _ in range(count)]


def cable(i: int, paragraphs: Sequence[str], senders: int) -> Document:
    """Cable `i`: "Cablegram {i + 1}" on its first line, then the paragraphs; sent by one of
    `senders` senders in turn, dated one of ten years in turn."""
    from dataclasses import replace

    from docdiff.loaders import load_text

    text = f"Cablegram {i + 1}\n\n" + "\n\n".join(paragraphs) + "\n"
    meta = {"sender": f"s{i % senders}", "date": f"{1940 + i % 10}-03-01"}
    return replace(load_text(text, doc_id=f"d{i:02}"), meta=meta)


def written(
    tmp_path: Path, name: str, docs: Sequence[Document], header: str, row: Callable[[Document], str]
) -> tuple[Path, Path]:
    """`docs` written to the folder `tmp_path / name`, one ``ID.txt`` each, and a metadata CSV
    beside it: `header`, then `row` of each document. Returns the folder and the CSV."""
    folder = tmp_path / name
    folder.mkdir()
    rows = [header]
    for d in docs:
        (folder / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
        rows.append(row(d))
    meta = tmp_path / "meta.csv"
    meta.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder, meta
