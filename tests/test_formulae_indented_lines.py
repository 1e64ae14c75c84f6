"""A short line over an indented one is a line of its own, as a manual page's headings stand
over their sections ("SEE ALSO" / "       ls(1), …"): before, in hard-wrapped text, every newline
ran on, and the miner listed "SEE ALSO {…}", "NAME git-{…}" and "REPORTING BUGS {…}
https://{…}" (the heading joined to the line under it in 31 of the 48 pages that have it, and
the other 17 left out). A line is one formula with the next only where the next nearly always
follows it; a heading that ends on a function word runs on into nothing; and a word among the
language's most frequent ("see") is no sign that a heading names the text's subject, nor is a
heading in most documents ("OPTIONS", "NAME")."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import formulae_report, mask
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import WORDS, sentence

_BUGS = "Report bugs to the tracker at <https://bugs.example.org/>."


def _wrapped(rng: random.Random, sentences: int, indent: int = 7) -> str:
    """Sentences of made-up words wrapped at 70 columns, indented."""
    words = " ".join(sentence(rng, rng.randint(8, 14)) for _ in range(sentences)).split()
    lines, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > 70 - indent:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(" " * indent + x for x in lines)


def _pages(n: int = 30) -> list[Document]:
    rng = random.Random(11)
    docs = []
    for i in range(n):
        tool = WORDS[i * 7 % len(WORDS)]
        others = ", ".join(f"{WORDS[(i * 7 + k) % len(WORDS)]}(1)" for k in (3, 5))
        bugs = f"\n       {_BUGS}" if i % 3 else ""  # (in two pages of three)
        text = (
            f"{tool.upper()}(1)          User Commands          {tool.upper()}(1)\n\n"
            f"NAME\n       {tool} - {sentence(rng, 5).rstrip('.').lower()}\n\n"
            f"SYNOPSIS\n       {tool} [OPTION]... [FILE]...\n\n"
            f"DESCRIPTION\n{_wrapped(rng, 6)}\n\n"
            # The pages say "see" in their running text.
            f"       For the details, see {others} and {_wrapped(rng, 2, 0).lower()}\n\n"
            # The pages say "options" in their running text too.
            f"OPTIONS\n       -{tool[0]}, --{tool}\n              the options of {tool}\n\n"
            f"REPORTING BUGS{bugs}\n\n"
            f"SEE ALSO\n       {others}\n"
        )
        docs.append(load_text(text, doc_id=f"{tool}.1.txt"))
    return docs


def test_a_short_line_over_an_indented_one_ends_there() -> None:
    text = "SEE ALSO\n       ls(1), cp(1)\n"
    m = mask(text)
    assert m.breaks[m.keys.index("ls")] == 2
    # A wrapped sentence still runs on where the lines are alike.
    wrapped = _wrapped(random.Random(1), 12)
    assert sum(b == 2 for b in mask(wrapped).breaks) == 1  # (the first token only)


def test_manual_page_headings_are_formulae_of_their_own() -> None:
    docs = _pages()
    found = formulae_report(docs, min_docs=5).formulae
    by_template = {f.template: f for f in found}
    assert "SEE ALSO" in by_template, list(by_template)
    assert by_template["SEE ALSO"].doc_freq == len(docs)
    assert "REPORTING BUGS" in by_template, list(by_template)
    assert by_template["REPORTING BUGS"].doc_freq == len(docs)
    assert not any(t.startswith(("SEE ALSO {", "NAME {", "REPORTING BUGS {")) for t in by_template)
    assert "DESCRIPTION" in by_template, list(by_template)
    # A heading in most pages is their structure, though their text says its word again.
    assert "OPTIONS" in by_template, list(by_template)
