"""Formulae of a script written without spaces (Chinese): each character is a token, as the
engine reads it, so a frame around a varying topic is found and printed as the documents write
it. Before, a run of Han characters was one token: "外交部发言人就朝鲜半岛局势答记者问" was one
word in one document, and a spokesperson's heading was never mined."""

from __future__ import annotations

import random
import re

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

TOPICS = ("朝鲜半岛局势", "南海问题", "气候变化谈判", "联合国安理会改革", "中东和平进程",
          "贸易争端", "网络安全", "人权理事会决议", "北极", "太空探索合作")  # fmt: skip
"""Topics of two to eight characters: a slot's filler varies in length."""

BODY = (
    "近年来，双方在经贸、人文、科技等领域的合作不断深化，取得了丰硕成果。",
    "我们注意到有关报道，正在核实具体情况。",
    "这一做法严重违反国际法和国际关系基本准则，中方对此坚决反对。",
    "双方一致同意加强在多边框架内的沟通与协调。",
    "该国政府近日宣布将扩大对农业部门的补贴，引发邻国关注。",
    "会议期间，代表们就可持续发展议程深入交换了意见。",
    "据了解，此次访问期间双方将签署多项合作文件。",
    "国际原子能机构的报告显示，相关设施的运行情况总体正常。",
    "中方高度重视发展中国家的合理关切，愿提供力所能及的帮助。",
    "有关制裁措施不仅无助于解决问题，反而会使局势更加复杂。",
    "当前全球经济复苏乏力，各国应加强宏观政策协调。",
    "对于个别国家的无端指责，我们表示强烈不满。",
    "双方领导人还就共同关心的国际和地区问题交换了看法。",
    "有关港口的扩建工程预计将于明年年底完工。",
    "专家组将在下个月提交最终报告，供各成员审议。",
    "该协定的签署为两国关系的发展注入了新的动力。",
    "今年以来，该地区的粮食产量较去年同期有所下降。",
    "相关国家应当切实履行各自的国际义务和承诺。",
)
CLOSING = "中方愿同国际社会一道，继续为维护世界和平与发展作出积极贡献。"


def _statements() -> list[Document]:
    rng = random.Random(7)
    docs = []
    for n, topic in enumerate(TOPICS, 1):
        body = "".join(rng.sample(BODY, 4))
        text = (
            f"外交部发言人就{topic}答记者问\n\n"
            f"2024年{n}月{n + 3}日，外交部发言人在例行记者会上回答了有关{topic}的提问。\n\n"
            f"{body}关于{topic}，中方的立场是一贯的、明确的。\n\n{CLOSING}\n"
        )
        docs.append(load_text(text, doc_id=f"mfa/{n:02}.txt"))
    return docs


def test_a_heading_around_a_varying_topic_is_one_template_written_as_the_documents_write_it() -> (
    None
):
    found = formulae_report(_statements()).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    heading = next((f for f in found if "外交部发言人就{…}答记者问" in f.template), None)
    assert heading is not None, templates
    assert heading.doc_freq == len(TOPICS)
    # The slot holds the topic, whatever its length, and nothing of the fixed words after it.
    topics = {x for examples in heading.slot_examples for x in examples if x in TOPICS}
    assert topics, heading.slot_examples
    for examples in heading.slot_examples:
        assert not any("答" in x or "的提" in x for x in examples), heading.slot_examples
    assert any(CLOSING in t for t in templates), templates
    # The dateline's date is one slot of its class, whatever its figures.
    assert "{date}，外交部发言人在例行记者会上回答了有关{…}的提问。" in heading.template
    # No space is printed where the documents write none, beside a slot or between characters
    # (a line break between two lines of a formula prints as one).
    for template in templates:
        assert not re.search(r"[\u4e00-\u9fff] \{…\}|\{…\} [\u4e00-\u9fff]", template), template
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff，。]", template), template


def test_figures_with_year_month_and_day_after_them_are_one_date() -> None:
    from docdiff.corpus.formulae import mask

    def kinds(text: str) -> list[tuple[str, str]]:
        m = mask(text)
        return [(text[a:b], k) for a, b, k in zip(m.starts, m.ends, m.kinds, strict=True)]

    dated = kinds("2024年3月1日，会议开幕。")
    assert [w for w, k in dated if k == "date"] == ["2024年3月1日"]
    assert [w for w, k in kinds("3月15日起") if k == "date"] == ["3月15日"]
    # A Japanese year counted in its era is dated with it.
    assert [w for w, k in kinds("令和6年3月1日、外務大臣") if k == "date"] == ["令和6年3月1日"]
    # A year alone is a number and a word; figures and units out of order are no date.
    assert "date" not in {k for _, k in kinds("2024年是关键的一年。")}
    assert "date" not in {k for _, k in kinds("1日3月")}


def test_a_korean_dateline_is_one_frame_around_its_date() -> None:
    """KCNA's Korean dateline "평양 3월 5일발 조선중앙통신" (Pyongyang, March 5, KCNA): the month
    and the day with its suffix are one {date}, as its English "Pyongyang, March 5 (KCNA) --"
    is.
    Before, the miner listed "평양 3월 {…}", its slot holding "5일발 조선중앙통신"."""
    from docdiff.corpus.formulae import mask

    def dates(text: str) -> list[str]:
        m = mask(text)
        return [text[a:b] for a, b, k in zip(m.starts, m.ends, m.kinds, strict=True) if k == "date"]

    assert dates("평양 3월 5일발 조선중앙통신") == ["3월 5일발"]
    assert dates("2024년 3월 5일 평양에서") == ["2024년 3월 5일"]
    assert dates("3월에 열린 회의") == []  # a month alone
    assert dates("5일 3월") == []  # out of order
    rng = random.Random(5)
    body = ("회담에서는 쌍무관계를 더욱 발전시키기 위한 문제들이 토의되었다.",
            "대표단은 여러 공장과 농장을 참관하였다.",
            "참가자들은 경제협력을 확대하기 위한 방안에 대하여 의견을 교환하였다.",
            "행사에는 해당 부문 일군들과 근로자들이 참가하였다.",
            "그는 두 나라 인민들 사이의 친선관계가 날로 강화되고있다고 강조하였다.")  # fmt: skip
    docs = [
        load_text(
            f"평양 {n % 12 + 1}월 {n + 3}일발 조선중앙통신\n\n"
            + " ".join(rng.sample(body, 3))
            + "\n",
            doc_id=f"kcna/{n:02}.txt",
        )
        for n in range(10)
    ]
    templates = [f.template for f in formulae_report(docs).formulae]
    assert any(t.startswith("평양 {date} 조선중앙통신") for t in templates), templates
