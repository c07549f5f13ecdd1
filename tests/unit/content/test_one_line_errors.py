"""Bad data gets one line naming the file, the place and the reason: errors.one_line and content.datafile."""
from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from workbook.content.datafile import load_model, read_model
from workbook.errors import ContentError, one_line


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    size: Literal[5, 7] = 5


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rows: list[Row]

    @model_validator(mode="after")
    def _two(self) -> Doc:
        if len(self.rows) > 2:
            raise ValueError("rows: at most 2 rows")
        return self


def _error(data: dict) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        Doc.model_validate(data)
    return exc.value


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"rows": [{"name": "a"}, {}]}, "f.yaml: rows[1].name: is missing"),
        ({"rows": [{"name": "a", "colour": "red"}]}, "f.yaml: rows[0].colour: is not a known field"),
        ({"rows": [{"name": "a", "size": 9}]}, "f.yaml: rows[0].size: 9 is not one of 5, 7"),
        ({"rows": [{"name": "a"}] * 3}, "f.yaml: rows: at most 2 rows"),  # the model's own check names its field
        ([], "f.yaml: (top): Input should be a valid dictionary or instance of Doc"),
    ],
)
def test_one_line_names_the_place_and_the_reason(data, expected):
    assert one_line(_error(data), "f.yaml") == expected


def test_one_line_names_the_exercise_type_of_an_unknown_field():
    assert one_line(_error({"rows": [], "x": 1}), kind="pick_one") == "x: is not a field of a pick_one exercise"


def test_a_data_file_is_refused_in_one_line_and_read_again_once_changed(tmp_path):
    path = tmp_path / "doc.yaml"
    with pytest.raises(ContentError, match=r"doc\.yaml: no such table file \(datasets/ must hold it\)$"):
        read_model(path, Doc, "table")
    path.write_text("rows: [{name: a}\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"doc\.yaml: not valid YAML \(") as exc:
        read_model(path, Doc, "table")
    assert "\n" not in str(exc.value)
    path.write_text("rows: [{name: a, size: 6}]\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"doc\.yaml: rows\[0\]\.size: 6 is not one of 5, 7$"):
        load_model(path, Doc, "table")
    path.write_text("rows: [{name: a, size: 7}]\n", encoding="utf-8")
    assert load_model(path, Doc, "table").rows[0].size == 7
    import os

    os.utime(path, (1, 1))  # another version of the file: read again, not served from the cache
    path.write_text("rows: [{name: b}]\n", encoding="utf-8")
    os.utime(path, (2_000_000_000, 2_000_000_000))
    assert load_model(path, Doc, "table").rows[0].name == "b"
