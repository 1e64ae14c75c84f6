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


def test_a_passage_in_chinese_takes_as_many_characters_as_its_words_would() -> None:
    """A written word of Chinese is one character, a word of the language two on average: a
    six-character topic phrase ("应对气候变化", tackle climate change) is an echo, as "tackle
    climate change" is in English; a shared sentence stays a passage, alone. Before, the
    topic phrase was a passage, joined with the sentence into one block (and, as an echo, with
    the characters the two texts share in another order into a paraphrase of both texts)."""
    a = (
        "气候变化是全人类面临的共同挑战。中方高度重视应对气候变化工作，积极推动能源结构转型。"
        "我们在此重申对联合国宪章宗旨和原则的坚定承诺。"
    )
    b = (
        "应对气候变化需要国际社会的共同努力。近年来，该地区多次遭遇极端天气，洪水和干旱造成"
        "严重损失。我们在此重申对联合国宪章宗旨和原则的坚定承诺。"
    )
    report = compare(load_text(a, doc_id="a"), load_text(b, doc_id="b"))
    (pair,) = report.pairs
    passages = [(m.kind, a[m.a.span.start : m.a.span.end]) for m in pair.matches]
    assert passages == [(Kind.PHRASING, "我们在此重申对联合国宪章宗旨和原则的坚定承诺")], passages
    echoes = {a[e.a.span.start : e.a.span.end] for e in pair.echoes}
    assert "应对气候变化" in echoes, echoes
    assert all(e.kind is not Kind.PARAPHRASE for e in pair.echoes)


def test_sentences_in_another_order_are_phrasing_not_a_paraphrase_of_characters() -> None:
    """Chinese is read a character a token, and characters shared in another order are parts
    of words: reuse there is found verbatim or edited, never as a rewording of characters. Two
    statements from one template, each with its own body, share their heading and closing,
    not a paraphrase covering both texts."""
    head = (
        "外交部发言人就{}答记者问\n\n"
        "2024年3月{}日，外交部发言人在例行记者会上回答了有关{}的提问。\n\n"
    )
    tail = "\n\n中方愿同国际社会一道，继续为维护世界和平与发展作出积极贡献。\n"
    a = head.format("南海问题", 2, "南海问题") + A + tail
    b = head.format("网络安全", 7, "网络安全") + B + tail
    report = compare(load_text(a, doc_id="a"), load_text(b, doc_id="b"))
    (pair,) = report.pairs
    assert pair.matches
    assert all(m.kind is not Kind.PARAPHRASE for m in [*pair.matches, *pair.echoes])
    shown = [a[m.a.span.start : m.a.span.end] for m in pair.matches]
    assert any(s.startswith("外交部发言人就南海问题答记者问") for s in shown), shown
    assert any("继续为维护世界和平与发展作出积极贡献" in s for s in shown), shown
    assert pair.summary.coverage_a < 60, pair.summary  # a percentage
