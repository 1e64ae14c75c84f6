"""A template prints a slot as its documents write it, glued to the word before or the mark
after it where they are ("title: npm-{…}", "`{…}`"), and a heading naming one word of a
sentence is no wording of that sentence (npm's manual pages: "#### `workspaces`" in the pages
of the commands that have the option, "Note: This command is unaware of workspaces." in the
others)."""

from __future__ import annotations

import random
from collections.abc import Callable

from docdiff.corpus.formulae import _before_closing_quote, _separator, _Wording, formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import WORDS as _ALPHA

_ENGLISH = "the of and in a is for on with as by this from are be was it which at".split()


def _sentence(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(_ALPHA if k % 2 else _ENGLISH) for k in range(n))
    return words.capitalize() + "."


def _pages(n: int = 30) -> list[Document]:
    """Manual pages opening on front matter that names the command glued to the tool's
    name ("title: tool-kolo"), then paragraphs of their own."""
    rng, tail = random.Random(7), random.Random(3)
    docs = []
    for i in range(n):
        name = _ALPHA[(i * 37) % len(_ALPHA)]
        body = "\n\n".join(
            " ".join(_sentence(rng, rng.randint(10, 16)) for _ in range(3)) for _ in range(4)
        )
        # A closing line whose last words vary in number: the template ends on "topic-", the
        # phrase running on into them.
        topic = " ".join(tail.choice(_ALPHA) for _ in range(tail.randint(2, 9)))
        filed = f"Filed under topic-{topic}. {_sentence(tail, 8)}"
        text = f"---\ntitle: tool-{name}\nsection: 1\n---\n\n{body}\n\n{filed}\n"
        docs.append(load_text(text, doc_id=f"tool-{name}.md"))
    return docs


def test_a_slot_glued_to_the_word_before_it_is_printed_glued() -> None:
    found = formulae_report(_pages(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert any("tool-{…}" in t for t in templates), templates
    assert not any("tool- {…}" in t for t in templates), templates
    # And at a template's end, where its phrase runs on.
    assert any(t.endswith("topic-{…}") for t in templates), templates


def test_a_mark_glued_after_a_slot_stays_glued() -> None:
    assert _separator("`", after_slot=True, spaced=False) == ""  # "`{…}`"
    assert _separator("`", after_slot=True, spaced=True) == " "
    assert _separator("{date}", after_slot=True, spaced=False) == " "  # "{…} {date}"
    assert _separator("inserted", after_slot=True, spaced=False) == " "
    assert _separator(".", after_slot=True, spaced=True) == ""


def test_one_word_of_a_sentence_is_no_wording_of_it() -> None:
    sentence = _Wording.of("Note: This command is unaware of workspaces.")
    assert not _Wording.of("#### `workspaces`").rewords(sentence)
    # A marking inside a reference line stays a wording of it.
    line = _Wording.of("AA:{symbol}, WAR {number}, ATTACHMENT {…}")
    assert _Wording.of("Attachment").rewords(line)


def test_a_mark_gluing_two_slots_is_part_of_one() -> None:
    # AWS CLI examples: "The following ``describe-images`` example …", a command's name of
    # hyphenated words: one slot, "``{…}``", not "``{…}-{…}``".
    rng = random.Random(5)
    docs = []
    for _ in range(30):
        name = "-".join(rng.choice(_ALPHA) for _ in range(2))
        body = " ".join(_sentence(rng, rng.randint(10, 16)) for _ in range(6))
        text = f"The following ``{name}`` example {_sentence(rng, 9)}\n\n{body}\n"
        docs.append(load_text(text, doc_id=f"{name}.rst"))
    found = formulae_report(docs, min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert any("The following ``{…}`` example" in t for t in templates), templates
    assert not any("{…}-{…}" in t for t in templates), templates


def test_a_slot_and_the_words_running_on_after_a_joining_mark_are_one() -> None:
    # "aws ec2 describe-local-gateway …": a template holding "aws ec2 describe-{…}-" (its
    # last fixed token the hyphen after a slot), the phrase running on glued to the hyphen,
    # prints "describe-{…}", not "describe-{…}-{…}".
    from types import SimpleNamespace

    from docdiff.corpus.formulae import SLOT, _run_on, _Shown, mask

    d = mask("Run aws ec2 describe-local-gateway now")
    member = SimpleNamespace(start=1)  # the template's tokens: "aws ec2 describe - local -"
    fixed = [True, True, True, True, False, True]
    t = SimpleNamespace(members=[member], ref=0, fixed=fixed)
    parts = ["aws", " ec2", " describe", "-", SLOT, "-"]
    shown = _Shown("", 0, 0, 0, [(4, 5)])
    _run_on(t, d, (0, 6), parts, shown)  # type: ignore[arg-type]
    assert "".join(parts) == "aws ec2 describe-{…}"
    assert shown.slots == [(4, 5)]
    # A phrase running on after a word: a slot, spaced as the text is.
    d = mask("Run aws ec2 describe now please")
    t = SimpleNamespace(members=[member], ref=0, fixed=[True, True, True])
    parts = ["aws", " ec2", " describe"]
    _run_on(t, d, (0, 3), parts, shown)  # type: ignore[arg-type]
    assert "".join(parts) == "aws ec2 describe {…}"


def _closing_on(
    tail: Callable[[int, random.Random], str], seed: int, n: int = 24
) -> list[Document]:
    """`n` documents of made-up paragraphs, each closing on its own `tail` line(s)."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        body = "\n\n".join(_sentence(rng, rng.randint(10, 16)) for _ in range(5))
        docs.append(load_text(f"{body}\n\n{tail(i, rng)}", doc_id=f"doc-{i}.txt"))
    return docs


def _closed_after_its_slot(docs: list[Document], said: str, ending: str, mark: str) -> None:
    """The formula saying `said` ends on `ending`, the mark its slot's fillers never hold."""
    found = formulae_report(docs, min_docs=5).formulae
    closing = next((f for f in found if said in f.template), None)
    assert closing is not None, [f.template for f in found]
    assert closing.template.endswith(ending), closing.template
    fillers = [x for examples in closing.slot_examples for x in examples]
    assert fillers, closing
    assert not any(mark in x for x in fillers), fillers


def test_a_code_span_the_template_opens_closes_after_its_slot() -> None:
    """Change logs cut short, each closing on how to read the rest, the package named in a
    code span that closes after it ("use `tool log kolo-3`.", as Debian's changelogs do)."""

    def tail(i: int, rng: random.Random) -> str:
        package = f"{_ALPHA[(i * 11) % len(_ALPHA)]}-{rng.randint(2, 40)}"
        return f"# Older entries were removed here.\n# To read them all use `tool log {package}`.\n"

    _closed_after_its_slot(_closing_on(tail, 9), "tool log", "`tool log {…}`", "`")


def test_an_address_the_template_opens_in_angle_brackets_closes_after_its_slot() -> None:
    """Manual pages closing on where their full documentation lives, the address in angle
    brackets naming the command ("Full documentation <https://…/coreutils/basename>", as GNU's
    pages do)."""

    def tail(i: int, rng: random.Random) -> str:
        command = _ALPHA[(i * 7) % len(_ALPHA)]
        return f"SEE ALSO\n       Full documentation <https://tools.example.org/kit/{command}>\n"

    ending = "Full documentation <https://tools.example.org/kit/{…}>"
    _closed_after_its_slot(_closing_on(tail, 13), "Full documentation", ending, ">")
    # A comparison's ">" closes nothing: a requirement's filler keeps its version.
    assert _before_closing_quote("aiohappyeyeballs>=2.5.0") == "aiohappyeyeballs>=2.5.0"
    assert _before_closing_quote("x > 3 of them") == "x > 3 of them"
    assert _before_closing_quote("basename>. More") == "basename"
