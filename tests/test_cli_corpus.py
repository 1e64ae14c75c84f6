"""The corpus commands end to end: index, scan, formulae, query, errors, a concurrent reader."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.errors import LoaderWarning
from docdiff.text.tokens import tokenize
from tests._patience import seconds

runner = CliRunner()
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    result = runner.invoke(
        app,
        [
            "index", "build", str(CORPUS / "letters"), "--db", str(path),
            "--meta", str(CORPUS / "metadata.csv"), "--no-progress",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 added" in result.output
    return path


def test_index_info_and_incremental_update(db: Path) -> None:
    info = runner.invoke(app, ["index", "info", "--db", str(db), "--format", "json"])
    assert info.exit_code == 0, info.output
    data = json.loads(info.output)
    assert data["documents"] == 8
    assert data["schema_version"] == 1
    assert "sender" in data["meta_fields"]
    again = runner.invoke(
        app, ["index", "update", str(CORPUS / "letters"), "--db", str(db), "--no-progress"]
    )
    assert again.exit_code == 0, again.output
    assert "0 added, 0 changed, 0 removed, 8 unchanged" in again.output


def test_scan_json_has_one_cluster_of_five(db: Path) -> None:
    result = runner.invoke(app, ["scan", "--db", str(db), "--format", "json", "--no-progress"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "docdiff.scan/2"
    sizes = [c["size"] for c in data["clusters"] if "categorically rejects" in c["text"]]
    assert sizes == [5]
    origin = next(c for c in data["clusters"] if c["size"] == 5)["origin"]
    assert origin["doc"] == "letters/01_arcadia_2019.txt"
    assert all("text" not in d for d in data["documents"])
    assert data["pairs"][0]["summary"]["distinctive_similarity"] > 0


def test_scan_paths_with_filters_as_csv(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "scan", str(CORPUS / "letters"), "--meta", str(CORPUS / "metadata.csv"),
            "--where", "year >= 2021", "--cross", "sender", "--format", "csv", "--no-progress",
            "--kinds", "phrasing,quotation", "--min-words", "10",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("record,a,b")
    pairs = [line for line in lines if line.startswith("pair,")]
    assert pairs
    assert not any("2019" in line or "2020" in line for line in pairs)


def test_scan_text_output(db: Path) -> None:
    result = runner.invoke(app, ["scan", "--db", str(db), "--no-progress", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "8 documents" in result.output
    assert "Clusters" in result.output
    # What the top pairs share is shown, not only their scores.
    assert "What the top" in result.output
    assert "categorically rejects" in result.output
    # One id per document: the pairs and the clusters both drop the shared folder.
    assert "letters/01_arcadia_2019.txt" not in result.output
    assert "01_arcadia_2019.txt" in result.output


def test_the_folder_the_ids_drop_is_printed_whole(tmp_path: Path) -> None:
    """A folder longer than the terminal is named on a line of its own, in one piece (the
    table's caption folded it in the middle of a word)."""
    folder = tmp_path / ("volume-23-the-negotiation-of-the-closer-economic-relations-" * 2)
    folder.mkdir()
    for path in (CORPUS / "letters").glob("*.txt"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["scan", str(folder), "--no-progress", "--limit", "3"])
    assert result.exit_code == 0, result.output
    whole = [line for line in result.output.splitlines() if line.startswith("ids below ")]
    assert len(whole) == 1, result.output
    assert whole[0].rstrip().endswith(folder.name + "/"), result.output
    # The Markdown report names it once too, and its tables show the ids without it.
    result = runner.invoke(app, ["scan", str(folder), "--no-progress", "-f", "md"])
    assert result.exit_code == 0, result.output
    assert f"Document ids below `{folder.name}/`." in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| 1 |")]
    assert rows, result.output
    assert folder.name not in rows[0]


def test_folders_of_one_file_each_are_told_apart_by_their_folders(tmp_path: Path) -> None:
    """Student answers or packages' licences, one folder each and one file name throughout
    ("student-01/answer.txt"): the pairs table shows the folders, which tell the documents
    apart, rather than the file name they all end in, and names that file once below."""
    for n, path in enumerate(sorted((CORPUS / "letters").glob("*.txt")), start=1):
        folder = tmp_path / "class" / f"student-with-a-long-name-{n:02d}"
        folder.mkdir(parents=True)
        (folder / "answer.txt").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path / "class"), "--no-progress"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│  1 │")]
    assert rows, result.output
    assert "student" in rows[0], rows[0]
    assert "answer" not in rows[0], rows[0]
    notes = [line for line in result.output.splitlines() if line.startswith("ids below ")]
    assert notes == ["ids below class/; each id in the table ends /answer.txt"], result.output


def test_the_ending_the_table_leaves_out_is_a_whole_file_name_and_more() -> None:
    from docdiff.render.notes import common_ending

    assert common_ending(["bash/copyright", "zsh/copyright"]) == "/copyright"
    dist = ["propcache-0.5.4.dist-info/METADATA", "yarl-1.25.1.dist-info/METADATA"]
    assert common_ending(dist) == ".dist-info/METADATA"
    assert common_ending(["letters/a.txt", "letters/b.txt"]) == ""  # no whole file name
    assert common_ending(["a.txt", "b.txt"]) == ""  # no folders
    assert common_ending(["v/1-copyright", "w/2-copyright"]) == ""
    assert common_ending(["bash/copyright", "bash/copyright"]) == ""  # one id


def test_the_clusters_table_gives_each_representatives_length(db: Path) -> None:
    """Two families can open alike (a whole passage copied, and its first part copied by
    others): each representative's length in words tells them apart."""
    result = runner.invoke(app, ["scan", "--db", str(db), "--no-progress", "--format", "json"])
    texts = {c["id"]: c["text"] for c in json.loads(result.output)["clusters"]}
    result = runner.invoke(app, ["scan", "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    table = result.output[result.output.index("Clusters (families") :]
    table = table[: table.index("└")]
    head = next(r for r in table.splitlines() if r.startswith("┃"))
    assert [c.strip() for c in head.split("┃")[1:5]] == ["#", "kind", "docs", "words"]
    rows = [r.split("│") for r in table.splitlines() if r.startswith("│")]
    shown = {int(r[1]): int(r[4]) for r in rows if r[1].strip()}
    assert shown == {n: len(tokenize(texts[n])) for n in shown}
    assert len(set(shown.values())) > 1


def _scan_at_80_columns(folder: Path) -> tuple[Any, list[str]]:
    """`docdiff scan FOLDER` in an 80-column terminal: the result and its pairs table's rows."""
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["scan", str(folder), "--no-progress"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    top = next(i for i, r in enumerate(lines) if r.startswith("┡"))
    body = lines[top + 1 : next(i for i, r in enumerate(lines) if r.startswith("└"))]
    assert body
    return result, body


def test_scan_text_fits_a_narrow_terminal(tmp_path: Path) -> None:
    """In 80 columns a pairs-table row stays one line: a long id is cut in the middle (its
    number and ending kept), and is whole where the pair's passages are shown."""
    folder = tmp_path / "c"
    folder.mkdir()
    long_names = [
        "101-record-of-conversation-between-the-minister-and-the-ambassador.txt",
        "102-record-of-conversation-between-the-minister-and-the-ambassador.txt",
    ]
    letters = sorted((CORPUS / "letters").iterdir())
    for name, source in zip(long_names, letters[:2], strict=True):
        (folder / name).write_text(source.read_text("utf-8"), "utf-8")
    for source in letters[2:4]:
        (folder / source.name).write_text(source.read_text("utf-8"), "utf-8")
    result, body = _scan_at_80_columns(folder)
    assert all(r.split("│")[1].strip().isdigit() for r in body), "no row folds"
    assert any("101-" in r and "…" in r and ".txt" in r for r in body), body
    assert all(len(line) <= 80 for line in result.output.splitlines())
    assert long_names[0] in result.output, "whole where the pair's passages are shown"


def test_scan_table_ids_in_folders_keep_their_file_names(tmp_path: Path) -> None:
    """Ids in long folder names ("volume-27-australia-and-the-united-kingdom-1960-1975/46-…")
    differ in their file names: cut whole, every row read "volume-…txt"; the table keeps the
    file name's start, its number first, and elides the folder."""
    root = tmp_path / "c"
    volumes = [
        "volume-22-australia-and-recognition-of-the-peoples-republic-of-china-1949-1972",
        "volume-27-australia-and-the-united-kingdom-1960-1975",
    ]
    letters = sorted((CORPUS / "letters").iterdir())
    names = []
    for n, source in enumerate(letters[:4]):
        folder = root / volumes[n % 2]
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{101 + n}-record-of-conversation-between-the-minister-and-the-ambassador.txt"
        (folder / name).write_text(source.read_text("utf-8"), "utf-8")
        names.append(name)
    result, body = _scan_at_80_columns(root)
    lines = result.output.splitlines()
    for row in body:
        cells = [c.strip() for c in row.split("│")[2:4]]
        assert all(c.startswith("…/10") for c in cells), row
        assert cells[0][:5] != cells[1][:5] or cells[0] != cells[1], row
    assert all(len(line) <= 80 for line in lines)
    # Where the pair's passages are shown, two documents of one folder show it once, then
    # their file names whole, each on its line (not folded inside the folder's long line).
    pair = [(r.strip(), s.strip()) for r, s in itertools.pairwise(lines)]
    assert (names[0], f"↔ {names[2]}") in pair, result.output
    assert not any(r.rstrip().endswith("/1") for r in lines), result.output
    # A folder longer than the room beside the pair's number breaks after a hyphen and stays
    # indented under it (it wrapped to the first column: "  1." alone, then the folder).
    assert not any(r.startswith("volume-") for r in lines), result.output
    assert any(r.startswith("  1. volume-") for r in lines), result.output
    # Wide enough, the whole file name shows, after the folder's start.
    wide = CliRunner(env={"COLUMNS": "260"}).invoke(app, ["scan", str(root), "--no-progress"])
    assert any("volume-" in r and names[0] in r for r in wide.output.splitlines() if "│" in r)


@given(st.text(min_size=1, max_size=80), st.integers(2, 60))
def test_an_id_cut_in_the_middle_keeps_both_ends(name: str, width: int) -> None:
    from rich.cells import cell_len

    from docdiff.cli.corpus import _middle

    cut = _middle(name, width)
    assert cell_len(cut) <= max(width, cell_len(name[0]) + cell_len(name[-1]) + 1)
    if cell_len(name) <= width:
        assert cut == name
    else:
        head, _, tail = cut.partition("…")
        assert name.startswith(head)
        assert name.endswith(tail)
        assert head or tail


def test_output_suffix_picks_the_format(db: Path, tmp_path: Path) -> None:
    checks: list[tuple[str, Callable[[str], bool]]] = [
        ("scan.html", lambda t: t.lstrip().lower().startswith("<!doctype html")),
        ("scan.json", lambda t: json.loads(t)["schema"] == "docdiff.scan/2"),
        ("scan.md", lambda t: t.startswith("# Corpus scan")),
        ("scan.txt", lambda t: "8 documents" in t and "<" not in t[:5]),
    ]
    for name, check in checks:
        out = tmp_path / name
        result = runner.invoke(app, ["scan", "--db", str(db), "--no-progress", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert check(out.read_text(encoding="utf-8")), name
    # --format still wins over the suffix.
    out = tmp_path / "forced.html"
    runner.invoke(app, ["scan", "--db", str(db), "--no-progress", "-f", "json", "-o", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "docdiff.scan/2"


def test_formulae_report_has_its_own_title_and_only_formulae(tmp_path: Path) -> None:
    from tests.test_formulae import _corpus

    folder = tmp_path / "notes"
    folder.mkdir()
    for doc in _corpus():
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    html = tmp_path / "formulae.html"
    args = ["formulae", str(folder), "--min-docs", "5", "--no-progress", "-o", str(html)]
    assert runner.invoke(app, args).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "<h1>Formulae</h1>" in page
    assert "Corpus scan" not in page
    assert "Ranked pairs" not in page
    assert '<main id="scan"' not in page
    assert "presents its compliments to" in page
    # Slots stand out from the fixed words; unset settings are not printed as "None".
    assert '<span class="slot" title="slot 1">{name}</span>' in page
    assert "=None" not in page
    md = tmp_path / "formulae.md"
    args[-1] = str(md)
    assert runner.invoke(app, args).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# Formulae")


def test_unknown_where_field_is_an_error_naming_the_fields() -> None:
    result = runner.invoke(
        app,
        ["scan", str(CORPUS / "letters"), "--meta", str(CORPUS / "metadata.csv"),
         "--where", "sendr = Arcadia", "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "unknown field 'sendr'" in result.output
    assert "sender" in result.output
    assert "Traceback" not in result.output


def test_a_corpus_with_no_document_names_what_was_given_and_why(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01\x02")
    cases = [
        (["scan", str(empty)], f"{empty}: no documents (no txt, md, html, xml, docx, odt or pdf"),
        (["formulae", str(tmp_path / "pictures")], "pictures: no documents (no txt,"),
        (["scan", str(CORPUS / "letters"), "--include", "*.nothing"],
         "letters: no documents (no file matches --include/--exclude)"),
        (["scan", str(binary)], "data.txt: no readable documents (1 file could not be read"),
    ]  # fmt: skip
    for args, said in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("always", LoaderWarning)  # (printed as docdiff prints it)
            result = runner.invoke(app, [*args, "--no-progress"])
        assert result.exit_code == 2, result.output
        assert said in " ".join(result.output.split()), result.output
        assert "Traceback" not in result.output
    # The folder of pictures says what it skipped, before saying it holds no document.
    with warnings.catch_warnings():
        warnings.simplefilter("always", LoaderWarning)
        result = runner.invoke(app, ["formulae", str(tmp_path / "pictures"), "--no-progress"])
    assert "pictures: 1 file of a type read by no loader skipped (.jpg 1)" in result.output


def test_version_and_completion_options() -> None:
    from docdiff import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"docdiff {__version__}"
    helped = runner.invoke(app, ["--help"])
    assert "--install-completion" in helped.output
    assert "--show-completion" in helped.output


def test_plurals_in_the_diff_summary(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("The mission presents its compliments.", encoding="utf-8")
    new.write_text("The mission presents its warm compliments.", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(new), "-o", str(tmp_path / "d.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["stats"]
    assert "1 word inserted," in result.output


def test_cjk_passages_fill_the_line_by_cells() -> None:
    from rich.cells import cell_len

    from docdiff.cli.corpus import _flat

    text = "朝鮮民主主義人民共和国外務省は" * 10
    cut = _flat(text, 70)
    assert cell_len(cut) <= 70
    assert cell_len(cut) >= 68  # not cut at 70 characters (140 cells) nor far short of 70 cells
    assert _flat("short", 70) == "short"


def test_query_text_and_json(db: Path, tmp_path: Path) -> None:
    letter = tmp_path / "new.txt"
    letter.write_text(
        "We understand that the joint fisheries commission convene an extraordinary session "
        "in the spring to review the quotas for migratory tuna stocks.",
        encoding="utf-8",
    )
    text = runner.invoke(app, ["query", str(letter), "--db", str(db)])
    assert text.exit_code == 0, text.output
    assert "06_fjordland_2021.txt" in text.output
    # The command that shows the best source as the query weighed it.
    hint = text.output.replace("\n", " ")
    assert f"docdiff compare {letter} " in hint
    assert f"--db {db} --min-words 4 --explain" in hint
    js = runner.invoke(app, ["query", str(letter), "--db", str(db), "-f", "json", "--limit", "1"])
    data = json.loads(js.output)
    assert data["schema"] == "docdiff.query/1"
    assert len(data["pairs"]) == 1
    # The reports open on what a query found, not on a scan's counts ("… 0 clusters").
    for suffix in ("md", "html"):
        out = tmp_path / f"q.{suffix}"
        done = runner.invoke(
            app, ["query", str(letter), "--db", str(db), "--limit", "1", "-o", str(out)]
        )
        assert done.exit_code == 0, done.output
        page = out.read_text(encoding="utf-8")
        assert "1 indexed document shares wording with new.txt." in page.replace("\\", ""), page
        if suffix == "md":
            assert "0 clusters" not in page, page


def test_query_rows_say_where_each_passage_stands(db: Path, tmp_path: Path) -> None:
    """Each row gives the passage's line in the letter and in the source, to find it by (a
    letter that said "On behalf of the people of Palau" twice showed two alike rows)."""
    letter = tmp_path / "new.txt"
    letter.write_text(
        "The weather in the capital was mild this week.\n\nWe understand that the joint "
        "fisheries commission convene an extraordinary session in the spring to review the "
        "quotas for migratory tuna stocks.\n",
        encoding="utf-8",
    )
    text = runner.invoke(app, ["query", str(letter), "--db", str(db)], env={"COLUMNS": "100"})
    assert text.exit_code == 0, text.output
    header = next(line for line in text.output.splitlines() if line.startswith("kind "))
    assert header.split()[:5] == ["kind", "words", "score", "line", "source"], header
    rows = [line.split() for line in text.output.splitlines() if line.startswith("phrasing ")]
    assert rows, text.output
    source = (CORPUS / "letters" / "06_fjordland_2021.txt").read_text(encoding="utf-8")
    for row in rows:
        assert row[3] == "3", text.output
        assert "joint fisheries commission" in source.splitlines()[int(row[4]) - 1], row


def _indexed_with_a_tuna_letter(folder: Path, tmp_path: Path) -> tuple[Path, Path]:
    """An index of `folder` and a new letter that takes a sentence of the fixture corpus's
    letter on tuna quotas, to query it with."""
    db = tmp_path / "query.db"
    built = runner.invoke(app, ["index", "build", str(folder), "--db", str(db), "--no-progress"])
    assert built.exit_code == 0, built.output
    letter = tmp_path / "new.txt"
    letter.write_text(
        "We understand that the joint fisheries commission convene an extraordinary session "
        "in the spring to review the quotas for migratory tuna stocks.",
        encoding="utf-8",
    )
    return db, letter


def test_a_query_lists_identical_sources_once(tmp_path: Path) -> None:
    """Five packages shipping one licence were five alike entries of a query's answer: a text
    held by several indexed documents is one entry, its copies named under it (JSON keeps a
    pair for each)."""
    import shutil

    folder = tmp_path / "letters"
    folder.mkdir()
    for source in sorted((CORPUS / "letters").glob("*.txt")):
        shutil.copy(source, folder / source.name)
    for n in range(3):
        shutil.copy(CORPUS / "letters" / "06_fjordland_2021.txt", folder / f"copy{n}.txt")
    db, letter = _indexed_with_a_tuna_letter(folder, tmp_path)
    text = runner.invoke(app, ["query", str(letter), "--db", str(db)], env={"COLUMNS": "100"})
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    entries = [line for line in lines if re.match(r"\d+\. ", line)]
    assert not [line for line in entries if "copy" in line or "06_fjordland" in line][1:], entries
    assert "and 3 identical copies:" in text.output, text.output
    named = {line.strip() for line in lines if line.strip().endswith(".txt")}
    assert len(named & {"letters/06_fjordland_2021.txt", "letters/copy0.txt",
                        "letters/copy1.txt", "letters/copy2.txt"}) == 3, text.output  # fmt: skip
    js = runner.invoke(app, ["query", str(letter), "--db", str(db), "-f", "json"])
    sources = {p["b"] for p in json.loads(js.output)["pairs"]}
    assert {"letters/copy0.txt", "letters/copy1.txt", "letters/copy2.txt"} <= sources
    # The Markdown report lists them so too, in its table and in its details.
    md = runner.invoke(app, ["query", str(letter), "--db", str(db), "-f", "md"])
    assert md.exit_code == 0, md.output
    rows = [line for line in md.output.splitlines() if line.startswith("| ") and ".txt" in line]
    held = [row for row in rows if "identical copies" in row]
    assert len(held) == 1, md.output
    assert len(rows) == len(entries), md.output
    assert "Its text is held too by 3 identical copies:" in md.output, md.output
    texts = f"{len(entries)} text{'s' if len(entries) > 1 else ''}"
    assert f"({texts}: the rest are identical copies)." in md.output, md.output
    # The HTML report's data: one pair for the text, naming its copies.
    page = tmp_path / "q.html"
    done = runner.invoke(app, ["query", str(letter), "--db", str(db), "-o", str(page)])
    assert done.exit_code == 0, done.output
    found = re.search(r'id="docdiff-data"[^>]*>(.*?)</script>', page.read_text("utf-8"), re.S)
    assert found
    data = json.loads(found.group(1))
    assert len(data["pairs"]) == len(entries)
    (held,) = [p for p in data["pairs"] if p.get("same")]
    assert len(held["same"]) == 3


def test_query_prints_a_long_source_id_whole_on_its_line(tmp_path: Path) -> None:
    """A DFAT source's id ("txt/volume-8-1945/191-legation-in-washington-to-department-of-
    external-affairs.txt") is longer than the terminal: it was broken inside a word, with the
    entry's number alone on the line above. It is broken as a scan breaks a pair's ids: after
    its folder, then after a hyphen, on lines of its own above its figures."""
    import shutil

    folder = tmp_path / "volume-8-1945"
    folder.mkdir()
    long_name = "191-legation-in-washington-to-department-of-external-affairs-on-tuna-quotas.txt"
    for n, source in enumerate(sorted((CORPUS / "letters").glob("*.txt"))):
        shutil.copy(source, folder / (long_name if n == 5 else source.name))
    db, letter = _indexed_with_a_tuna_letter(folder, tmp_path)
    text = runner.invoke(app, ["query", str(letter), "--db", str(db)], env={"COLUMNS": "80"})
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    shown = {}  # each source's id as its lines show it, joined
    for n, line in enumerate(lines):
        if re.match(r"\d+\. ", line):
            parts = [line.split(". ", 1)[1].strip()]
            for more in lines[n + 1 :]:
                if "distinctive" in more:
                    break
                parts.append(more.strip())
            shown["".join(parts)] = parts
    parts = shown[f"volume-8-1945/{long_name}"]
    assert all(part.endswith(("/", "-")) for part in parts[:-1]), parts


def test_formulae_export_round_trips_into_compare(tmp_path: Path) -> None:
    from tests.test_formulae import _corpus

    folder = tmp_path / "notes"
    folder.mkdir()
    for doc in _corpus():
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    lexicon = tmp_path / "mined.txt"
    result = runner.invoke(
        app,
        ["formulae", str(folder), "--min-docs", "5", "--export", str(lexicon), "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert "compliments" in result.output
    assert "slot 1:" in result.output
    assert "presents its compliments to" in lexicon.read_text(encoding="utf-8")
    compare = runner.invoke(
        app,
        [
            "compare", str(folder / "n00.txt"), str(folder / "n01.txt"), "--formulae",
            str(lexicon), "-f", "json",
        ],
    )  # fmt: skip
    assert compare.exit_code == 0, compare.output
    kinds = {m["kind"] for m in json.loads(compare.output)["matches"]}
    assert "formula" in kinds


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "--db", "{foreign}"], "not a docdiff index"),
        (["query", "{letter}", "--db", "{foreign}"], "not a docdiff index"),
        (["index", "info", "--db", "{missing}"], "no index here"),
        (["index", "update", "{letters}", "--db", "{missing}"], "no index here"),
        (["index", "build", "{letters}", "--db", "{nofolder}"], "no folder"),
        (["index", "build", "{letters}", "--db", "/dev/null"], "is a character device"),
        (["query", "{letter}", "--db", "/dev/null"], "is a character device"),
        (["scan", "{letters}", "--where", "year >>= 3"], "--where"),
        (["scan", "{letters}", "--db", "{missing}"], "either PATH"),
        (["scan", "{letters}", "--format", "yaml"], "--format"),
        (["scan", "{letters}", "--max-df", "1"], "--max-df must be at least 2, not 1"),
        (["scan", "{letters}", "--limit", "0"], "--limit"),
        (["formulae", "{letters}", "--limit", "-2"], "--limit"),
        (["query", "{letter}", "--db", "{foreign}", "--limit", "-1"], "--limit"),
        (["scan", "{letters}", "--meta", "{missing}"], "cannot read metadata"),
    ],
)
def test_errors_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    foreign = tmp_path / "foreign.db"
    foreign.write_text("hello, not a database at all\n" * 20)
    names = {
        "foreign": str(foreign),
        "missing": str(tmp_path / "missing.db"),
        "nofolder": str(tmp_path / "nofolder" / "x.db"),
        "letters": str(CORPUS / "letters"),
        "letter": str(CORPUS / "letters" / "01_arcadia_2019.txt"),
    }
    result = runner.invoke(app, [a.format(**names) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def _docdiff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docdiff", *args], capture_output=True, text=True, check=False
    )


def _letters(root: Path, count: int, start: int = 0) -> None:
    import random

    rng = random.Random(3)
    vocab = [f"v{n}q" for n in range(3000)]
    root.mkdir(exist_ok=True)
    for i in range(start, start + count):
        body = " ".join(rng.choice(vocab) for _ in range(200))
        (root / f"{i:04}.txt").write_text(f"Letter {i}. {body}\n", encoding="utf-8")


def _holds_open(proc: subprocess.Popen[str], path: Path) -> bool:
    """Whether process `proc` has `path` open (its file descriptors, as /proc lists them)."""
    fds = Path(f"/proc/{proc.pid}/fd")
    try:
        return any(fd.resolve() == path.resolve() for fd in fds.iterdir())
    except OSError:  # the process ended, or a descriptor closed while we looked
        return False


def _wait_until(check: Callable[[], bool], what: str, proc: subprocess.Popen[str]) -> None:
    """Poll `check` until it holds (an event, not a guessed delay); fails if `proc` ends first."""
    deadline = time.monotonic() + seconds(120)
    while not check():
        if proc.poll() is not None:
            pytest.fail(f"the process ended before {what}: {proc.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.01)


def test_a_query_never_waits_for_a_writer(tmp_path: Path) -> None:
    import sqlite3

    root = tmp_path / "docs"
    _letters(root, 40)
    db = tmp_path / "live.db"
    built = _docdiff("index", "build", str(root), "--db", str(db), "--no-progress")
    assert built.returncode == 0, built.stderr
    query_file = tmp_path / "q.txt"
    query_file.write_text((root / "0007.txt").read_text(encoding="utf-8")[:1500], "utf-8")
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # the write lock, held for the whole query
        writer.execute("DELETE FROM documents WHERE rowid = -1")
        result = _docdiff("query", str(query_file), "--db", str(db), "-f", "json")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "docdiff.query/1"
    assert data["documents"][1]["id"].endswith("0007.txt")


def test_ctrl_c_leaves_a_consistent_index(tmp_path: Path) -> None:
    import signal
    import sqlite3

    import numpy as np

    from docdiff.index import CorpusIndex
    from docdiff.index.arrays import doc_tokens, unique_kgrams

    root = tmp_path / "docs"
    _letters(root, 30)
    db = tmp_path / "ctrl_c.db"
    built = _docdiff("index", "build", str(root), "--db", str(db), "--no-progress")
    assert built.returncode == 0, built.stderr
    _letters(root, 60, start=30)
    # The test holds the write lock, so the update can commit nothing: Ctrl-C finds it at
    # work (it has opened the index) whatever the machine's speed.
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    # A test run started in the background (`pytest &`) has SIGINT ignored, which a child
    # inherits and Python then keeps; a handler of the parent's is the default in the child.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "docdiff", "index", "update", str(root), "--db", str(db),
             "--jobs", "1", "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        _wait_until(lambda: _holds_open(proc, db), "the update opened the index", proc)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=seconds(120))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # 130 (a shell reports death by the SIGINT as 130 too). The update waits for the lock in
    # short waits (`begin_immediate`), so the interrupt is raised at once; SQLite's single 30 s
    # wait used to hold it until the lock error, which then raced it.
    assert proc.returncode in (130, -signal.SIGINT), err
    assert "interrupted" in err
    assert "Traceback" not in err
    with CorpusIndex.open(db) as idx:
        assert len(idx) == 30
        expected = sum(
            len(np.unique(unique_kgrams(doc_tokens(idx.get(d.id).text).hashes, idx.k)))
            for d in idx.documents()
        )
        assert idx.stats()["postings"] == expected
    again = _docdiff("index", "update", str(root), "--db", str(db), "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "60 added" in again.stdout


def test_the_best_passages_of_a_pair_are_the_most_reused_wording() -> None:
    """A long passage matching closely comes before a short exact one; formulae, names and
    wording many documents share come last whatever their size."""
    from docdiff.cli.corpus import best_passages
    from docdiff.model import Kind, Match, Passage, Span

    def match(kind: Kind, words: int, score: float, at: int) -> Match:
        span = Span(at, at + 5 * words)
        return Match(Passage("a", span), Passage("b", span), kind, score, words)

    short_exact = match(Kind.PHRASING, 6, 100.0, 0)
    long_close = match(Kind.PHRASING, 247, 91.1, 100)
    formula = match(Kind.FORMULA, 300, 100.0, 5000)
    reworded = match(Kind.PARAPHRASE, 40, 70.0, 9000)
    ranked = best_passages([formula, short_exact, reworded, long_close])
    assert ranked == [long_close, reworded, short_exact, formula]
    # The edition's apparatus is the editors' wording: left out, unless it is all there is.
    from dataclasses import replace

    from docdiff.text.apparatus import APPARATUS_REASON

    note = replace(match(Kind.FORMULA, 4, 100.0, 7000), reason=f"{APPARATUS_REASON} (notes)")
    assert best_passages([note, formula, short_exact]) == [short_exact, formula]
    assert best_passages([note]) == [note]
    # A session's theme many documents quote comes after the pair's own wording, as the
    # distinctive similarity that ranks the pair leaves it out.
    from docdiff.engine.score import WIDELY_REASON

    theme = replace(match(Kind.QUOTATION, 30, 100.0, 8000), reason="quotation" + WIDELY_REASON)
    assert best_passages([theme, short_exact, formula]) == [short_exact, formula, theme]


_BOILERPLATE = (
    "The delegation underlines that the regional fisheries commission must publish its annual "
    "catch statistics before the spring session of the council."
)
_SHARED = (
    "Our coastguard intercepted three unflagged trawlers near the Vesterholm shoals, and their "
    "crews admitted dumping undersized cod at night."
)
_FILLER = (
    "amber basalt cedar delta ember fjord garnet harbor indigo jasper kelp lagoon marble nectar "
    "opal pewter quartz russet sable topaz umber velvet willow xenon yarrow zephyr"
).split()


def _boilerplate_corpus(folder: Path) -> list[Path]:
    """Twenty-four letters that all say `_BOILERPLATE`, each with words of its own after it; the
    first two also share `_SHARED`."""
    folder.mkdir()
    paths = []
    for n in range(24):  # (a share of 20 % past the scan's 50 pseudo-documents)
        own = " ".join(_FILLER[(n * 7 + k * 3) % len(_FILLER)] + str(n) for k in range(40))
        path = folder / f"letter_{n:02d}.txt"
        shared = f"\n\n{_SHARED}" if n < 2 else ""
        path.write_text(f"{_BOILERPLATE}\n\n{own.capitalize()}.{shared}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_compare_with_the_index_gives_the_scans_numbers(tmp_path: Path) -> None:
    """``compare --db`` weighs a pair by the indexed corpus, as the scan does: wording that
    every letter of the corpus holds is its boilerplate (a formula), where two letters alone
    cannot tell (phrasing); and a pair reads the same in the scan and in compare (with the
    scan's passage size). The scan's text output says how to run it."""
    paths = _boilerplate_corpus(tmp_path / "letters")
    db = tmp_path / "letters.db"
    built = runner.invoke(app, ["index", "build", str(tmp_path / "letters"), "--db", str(db)])
    assert built.exit_code == 0, built.output
    scan = runner.invoke(
        app, ["scan", "--db", str(db), "--format", "json", "--no-progress", "--min-docs", "99"]
    )
    assert scan.exit_code == 0, scan.output
    data = json.loads(scan.output)
    docs = {d["id"]: d["path"] for d in data["documents"]}
    pair = data["pairs"][0]
    words = str(data["settings"]["min_words"])

    def compared(*extra: str) -> dict[str, Any]:
        a, b = docs[pair["a"]], docs[pair["b"]]
        got = runner.invoke(app, ["compare", a, b, "--min-words", words, "-f", "json", *extra])
        assert got.exit_code == 0, got.output
        return cast("dict[str, Any]", json.loads(got.output))

    def seen(matches: list[dict[str, Any]]) -> list[tuple[object, ...]]:
        return [(m["kind"], m["words"], m["a"]["start"], m["b"]["start"]) for m in matches]

    weighed, alone = compared("--db", str(db)), compared()
    assert seen(weighed["matches"]) == seen(pair["matches"])
    assert [m["kind"] for m in weighed["matches"]] == ["formula", "phrasing"]
    assert [m["kind"] for m in alone["matches"]] == ["phrasing", "phrasing"]
    assert weighed["summary"]["similarity"] == pytest.approx(pair["summary"]["similarity"])
    assert weighed["settings"]["index"] == str(db)
    wide = CliRunner(env={"COLUMNS": "400"})
    text = wide.invoke(app, ["scan", "--db", str(db), "--no-progress"])
    assert f"docdiff compare A B --db {db} --min-words {words} --explain" in text.output
    assert paths[0].name in text.output


def test_every_pair_the_scan_aligned_reads_the_same_in_compare_db(db: Path) -> None:
    """Each pair of the scan, compared alone with ``--db`` and the scan's passage size, gets
    the scan's passages with the same kinds, places, words and scores (paraphrases included:
    both build a document's paraphrase units once, as kept documents)."""
    scan = runner.invoke(app, ["scan", "--db", str(db), "--format", "json", "--no-progress"])
    assert scan.exit_code == 0, scan.output
    data = json.loads(scan.output)
    paths = {d["id"]: d["path"] for d in data["documents"]}
    words = str(data["settings"]["min_words"])
    assert data["pairs"]
    for pair in data["pairs"]:
        got = runner.invoke(
            app,
            [
                "compare", paths[pair["a"]], paths[pair["b"]], "--db", str(db),
                "--min-words", words, "-f", "json",
            ],
        )  # fmt: skip
        assert got.exit_code == 0, got.output
        compared = json.loads(got.output)

        def seen(matches: list[dict[str, Any]]) -> list[tuple[object, ...]]:
            return [
                (m["kind"], m["words"], m["score"], m["a"]["start"], m["b"]["end"]) for m in matches
            ]

        assert seen(compared["matches"]) == seen(pair["matches"]), (pair["a"], pair["b"])
        assert compared["summary"] == pair["summary"], (pair["a"], pair["b"])
