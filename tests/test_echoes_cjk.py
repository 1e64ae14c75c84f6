"""Echoes of text written without spaces between words (Chinese): a shared term is an echo, but
characters standing close together on both sides are parts of words, not a reworded phrase
("合作的事" / "的军事合作" shared 合, 作, 的, 事 and was listed as a paraphrase echo)."""

from __future__ import annotations

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Kind

A = (
    "外交部发言人表示，中方注意到近期有关国家在地区问题上的一系列表态。中方始终认为，各国的主权"
    "和领土完整应当得到尊重，国际关系中的分歧应当通过平等对话和友好协商加以解决。我们希望有关国家"
    "从地区和平稳定的大局出发，多做增进互信、促进合作的事，而不是相反。关于经贸合作，双方去年贸易"
    "额创历史新高，投资合作稳步推进，人文交流日益密切。"
)
B = (
    "据报道，该国议会日前通过一项法案，要求政府在今后五年内大幅增加国防开支，并扩大同域外国家的"
    "军事合作。分析人士指出，这一举动可能加剧地区紧张局势。该国外交部长在记者会上表示，此举完全出"
    "于自卫需要。专家认为，国际关系的复杂变化将对地区经济合作产生深远影响。"
)


def test_characters_close_together_are_no_reworded_echo() -> None:
    report = compare(load_text(A, doc_id="a"), load_text(B, doc_id="b"))
    (pair,) = report.pairs
    assert not pair.matches
    reworded = [e for e in pair.echoes if e.kind is Kind.PARAPHRASE]
    assert not reworded, [(e.shared, e.reason) for e in reworded]
    # A term both texts write alike stays an echo.
    shown = {A[e.a.span.start : e.a.span.end] for e in pair.echoes}
    assert "国际关系" in shown, shown
