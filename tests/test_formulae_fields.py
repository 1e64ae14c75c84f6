"""A field is its label, a colon and a slot for its value ("License-File: {…}", "Classifier:
Operating System :: {…}"), printed as the documents write it: package metadata (the METADATA
files of Python packages) was mined as "License-File:" with no slot, or not at all where the
label's words recur in the text ("License-File: {…}" was read as a heading whose subject
varies); "python_version" lost its underscore, and a mail address its domain in the slot's
examples ("<jaraco@jaraco")."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import WORDS, filler

_FILES = ("LICENSE",) * 4 + ("LICENSE.txt", "COPYING", "AUTHORS", "NOTICE")
_SYSTEMS = ("OS Independent", "POSIX :: Linux", "Microsoft :: Windows", "MacOS")


def _metadata(n: int = 30) -> list[Document]:
    """Package metadata: a block of fields, some in one package and not in another and in no
    fixed order, their values varying, then a description whose prose names the licence file
    and the system again (as a README does)."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        name = WORDS[i + 40]
        user, host = WORDS[i + 90], WORDS[i + 150]
        fields = [
            f"Author-email: {WORDS[i].title()} {WORDS[i + 1].title()} <{user}@{host}.org>",
            f"License-File: {rng.choice(_FILES)}",
            f"Classifier: Operating System :: {rng.choice(_SYSTEMS)}",
            f"Requires-Dist: {WORDS[i + 200]}>=1.{i}; python_version < '3.{rng.randint(8, 14)}'",
            *(f"Keywords: {' '.join(rng.sample(WORDS, 3))}" for _ in range(rng.randint(0, 1))),
            *(f"Summary: {filler(rng, 1)}" for _ in range(rng.randint(0, 1))),
            *(f"Requires-Dist: {w}" for w in rng.sample(WORDS, rng.randint(0, 3))),
        ]
        rng.shuffle(fields)
        head = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: 1.{i}", *fields]
        prose = [
            f"{filler(rng, 3)} The license-file field names the file of {name}'s license.",
            *(filler(rng, 4) for _ in range(4)),
            f"{filler(rng, 2)} It runs on any operating system. {filler(rng, 2)}",
        ]
        text = "\n".join(head) + "".join(f"\n\n{p}" for p in prose) + "\n"
        docs.append(load_text(text, doc_id=f"{name}.txt"))
    return docs


def test_a_field_is_its_label_and_a_slot() -> None:
    found = formulae_report(_metadata(), min_docs=5).formulae
    templates = [f.template for f in found]
    for field in ("License-File", "Classifier: Operating System ::", "Requires-Dist"):
        assert f"{field.removesuffix(':')}: {{…}}" in templates, templates
    assert not any(t.endswith(":") for t in templates), templates
    # The slot shows the values, the licence file's included ("LICENSE", which the text's
    # prose names as its subject, is no heading's subject: "License-File: {…}" is a field).
    (licence,) = [f for f in found if f.template == "License-File: {…}"]
    assert {"LICENSE", "COPYING"} <= set(licence.slot_examples[0])


def test_a_name_keeps_its_underscore() -> None:
    found = formulae_report(_metadata(), min_docs=5).formulae
    templates = [v.template for f in found for v in (f, *f.variants)]
    assert any("python_version" in t for t in templates), templates
    assert not any("pythonversion" in t for t in templates), templates


def test_a_mail_address_fills_a_slot_whole() -> None:
    found = formulae_report(_metadata(), min_docs=5).formulae
    (author,) = [f for f in found if f.template.startswith("Author-email:")]
    examples = [x for slot in author.slot_examples for x in slot]
    assert examples
    assert all(x.endswith(".org>") for x in examples), examples


def _changelogs(n: int = 30) -> list[Document]:
    """Change logs whose entries open on the package, its version, the distribution and the
    upload's urgency ("kilo (1.2-3) unstable; urgency=medium", as Debian's do)."""
    rng = random.Random(17)
    docs = []
    for i in range(n):
        entries = []
        for e in range(rng.randint(2, 4)):
            urgency = rng.choice(("medium",) * 5 + ("low",) * 3 + ("high",) * 2)
            head = f"{WORDS[i + 30]} ({i}.{e}-{rng.randint(1, 9)}) unstable; urgency={urgency}"
            entries.append(f"{head}\n\n  * {filler(rng, 1)}\n  * {filler(rng, 1)}\n")
        docs.append(load_text("\n".join(entries), doc_id=f"changelog-{i}.txt"))
    return docs


def test_the_values_of_one_setting_are_one_formula() -> None:
    """ "urgency=high" and "urgency=low" are wordings of "urgency=medium", not two more
    formulae (three of a Debian changelog sample's top eleven)."""
    found = formulae_report(_changelogs(), min_docs=5).formulae
    holding = [f for f in found if any("urgency=" in v.template for v in (f, *f.variants))]
    assert len(holding) == 1, [f.template for f in found]
    said = {v.template for v in (holding[0], *holding[0].variants)}
    assert {"urgency=medium", "urgency=low", "urgency=high"} <= said, said
