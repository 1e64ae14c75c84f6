"""Metadata CSVs and the --where filter language (a hand-written parser, never eval)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.metadata import cross_values, field_value, load_csv, lookup_meta, parse_where
from docdiff.errors import InputError, OptionsError

META = {"date": "2021-07-21", "sender": "United Kingdom", "pages": "12", "kind": "note"}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("year>=2020", True),
        ("year >= 2022", False),
        ("year = 2021", True),
        ("date < 2021-08-01", True),
        ('sender = "united kingdom"', True),
        ("sender ~ king", True),
        ("sender != France", True),
        ("pages > 9", True),  # numeric, not string, comparison
        ("pages < 9", False),
        ("missing = x", False),
        ("not missing = x", True),
        ("year>=2020 and (sender = France or kind = note)", True),
        ("year>=2022 or sender ~ 'kingdom' and kind = memo", False),
        ("year>=2022 or sender ~ 'kingdom' and kind = note", True),
    ],
)
def test_where_expressions(expr: str, expected: bool) -> None:
    assert parse_where(expr)(META) is expected


@pytest.mark.parametrize(
    "expr", ["", "year >=", "year 2020", "(year = 1", "year = 1 )", "= 3", "a = 1 b = 2"]
)
def test_bad_where_expressions_raise_options_error(expr: str) -> None:
    with pytest.raises(OptionsError):
        parse_where(expr)


@given(st.text(max_size=40))
def test_where_never_crashes_otherwise(expr: str) -> None:
    with contextlib.suppress(OptionsError):
        parse_where(expr)(META)


def test_no_eval_is_involved() -> None:
    with pytest.raises(OptionsError):
        parse_where("__import__('os').system('true')")


def test_year_comes_from_date() -> None:
    assert field_value({"date": "1937-01-26"}, "year") == "1937"
    assert field_value({}, "year") is None


def test_load_csv_keys_rows_by_path_and_id(tmp_path: Path) -> None:
    csv_file = tmp_path / "meta.csv"
    csv_file.write_text("path,id,sender\ntxt/a.txt,A1,Arcadia\n", encoding="utf-8")
    rows = load_csv(csv_file)
    resolved = str((tmp_path / "txt" / "a.txt").resolve())
    for doc_id, path in (("zzz", resolved), ("A1", "elsewhere.txt"), ("txt/a.txt", "")):
        row = lookup_meta(rows, doc_id=doc_id, path=path)
        assert row is not None
        assert row["sender"] == "Arcadia"
    assert lookup_meta(rows, doc_id="nope", path="nope.txt") is None


def test_bad_csv_is_an_input_error(tmp_path: Path) -> None:
    csv_file = tmp_path / "meta.csv"
    csv_file.write_text("sender,date\nX,2020\n", encoding="utf-8")
    with pytest.raises(InputError, match="'path' or 'id' column"):
        load_csv(csv_file)
    with pytest.raises(InputError, match="cannot read"):
        load_csv(tmp_path / "missing.csv")


def test_an_unknown_where_field_is_an_error_naming_the_known_fields() -> None:
    where = parse_where("sendr = France and year >= 2020")
    assert where.fields == {"sendr", "year"}
    metas = [{"date": "2021-01-01", "sender": "France"}, {"sender": "Chile", "kind": "note"}]
    with pytest.raises(OptionsError, match=r"unknown field 'sendr'.*date, kind, sender, year"):
        where.check_fields(metas)
    parse_where("sender = France and year >= 2020").check_fields(metas)  # known: no error
    with pytest.raises(OptionsError, match="no metadata"):
        parse_where("sender = France").check_fields([{}, {}])


def test_a_folder_of_plain_texts_is_told_where_fields_come_from() -> None:
    # Plain .txt files tell only their encoding: the error says where a sender or a date can
    # come from, not only that "the documents' fields are encoding".
    metas = [{"encoding": "utf-8"}, {"encoding": "cp1252"}]
    with pytest.raises(OptionsError, match=r"fields are encoding; give a CSV with --meta"):
        parse_where("sender = France").check_fields(metas)
    with pytest.raises(OptionsError, match=r"--cross: .*give a CSV with --meta"):
        cross_values(metas, "sender")
    # Documents with metadata of their own are not sent to --meta.
    with pytest.raises(OptionsError) as raised:
        parse_where("sendr = France").check_fields([{"sender": "Chile", "encoding": "utf-8"}])
    assert "--meta" not in str(raised.value)
