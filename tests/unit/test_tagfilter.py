"""Tag filters: string form, JSON form and matching (reference 2.2.6, F9, G1)."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_desktop.api import TagFilter, TagFilterPart, ValidationError

REFERENCE_EXAMPLE = "Base:STO|OSL|CPH;On call:Yes"  # reference 2.2.6


def test_reference_example_parses_into_two_parts() -> None:
    tag_filter = TagFilter.parse(REFERENCE_EXAMPLE)

    assert tag_filter.parts == (
        TagFilterPart("Base", ("STO", "OSL", "CPH")),
        TagFilterPart("On call", ("Yes",)),
    )


def test_space_inside_a_tag_type_is_kept() -> None:
    part = TagFilter.parse(REFERENCE_EXAMPLE).parts[1]

    assert part.tagtype == "On call"


def test_reference_example_prints_back_unchanged() -> None:
    assert str(TagFilter.parse(REFERENCE_EXAMPLE)) == REFERENCE_EXAMPLE


def test_blanks_around_names_and_parts_are_trimmed() -> None:
    # Issue 7 §2 changed this: a trailing line break used to be trimmed too; it is now refused
    # like every control character (test_invisible_character_in_a_filter_is_refused...).
    tag_filter = TagFilter.parse("  Base : STO | OSL ;  On call :Yes ")

    assert str(tag_filter) == "Base:STO|OSL;On call:Yes"


def test_a_single_value_may_be_given_as_a_string() -> None:
    assert TagFilterPart("Role", "Surgeon").values == ("Surgeon",)


def test_equal_filters_compare_and_hash_equal() -> None:
    first = TagFilter.parse(REFERENCE_EXAMPLE)
    second = TagFilter.parse(" Base:STO|OSL|CPH ; On call:Yes")

    assert first == second
    assert hash(first) == hash(second)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("Base", "'Base'", id="no-colon"),
        pytest.param("Base:STO;On call", "'On call'", id="second-part-without-colon"),
        pytest.param(":STO", "':STO'", id="empty-type"),
        pytest.param("   :STO", "':STO'", id="blank-type"),
        pytest.param("Base:", "'Base:'", id="empty-value"),
        pytest.param("Base:STO||OSL", "'Base:STO||OSL'", id="empty-value-between-bars"),
        pytest.param("Base:STO|", "'Base:STO|'", id="trailing-bar"),
        pytest.param("Ba|se:STO", "'Ba|se:STO'", id="bar-in-type"),
        pytest.param("Base:STO:OSL", "'Base:STO:OSL'", id="colon-in-value"),
        pytest.param("On\tcall:Yes", "'On\\tcall:Yes'", id="tab-in-type"),
        pytest.param("Base:STO;;On call:Yes", "'Base:STO;;On call:Yes'", id="two-semicolons"),
        pytest.param("Base:STO;", "'Base:STO;'", id="trailing-semicolon"),
        pytest.param(";Base:STO", "';Base:STO'", id="leading-semicolon"),
    ],
)
def test_malformed_filter_is_refused_naming_the_offending_part(text: str, named: str) -> None:
    with pytest.raises(ValidationError) as info:
        TagFilter.parse(text)

    assert named in str(info.value)
    assert info.value.field == "tag filter"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_filter_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        TagFilter.parse(text)


def test_parse_refuses_what_is_not_text() -> None:
    with pytest.raises(ValidationError, match="text"):
        TagFilter.parse(["Base:STO"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tagtype", "values", "named"),
    [
        pytest.param("Ba;se", ["STO"], "'Ba;se:STO'", id="semicolon-in-type"),
        pytest.param("Ba:se", ["STO"], "'Ba:se:STO'", id="colon-in-type"),
        pytest.param("Base", ["S;TO"], "'Base:S;TO'", id="semicolon-in-value"),
        pytest.param("Base", ["S:TO"], "'Base:S:TO'", id="colon-in-value"),
        pytest.param("Base", ["S|TO"], "'Base:S|TO'", id="bar-in-value"),
        pytest.param("Base", ["ST\nO"], "'Base:ST\\nO'", id="line-break-in-value"),
        pytest.param("", ["STO"], "':STO'", id="empty-type"),
        pytest.param("Base", [" "], "'Base: '", id="blank-value"),
        pytest.param("Base", [], "'Base:'", id="no-value"),
    ],
)
def test_part_with_forbidden_or_missing_name_is_refused(
    tagtype: str, values: list[str], named: str
) -> None:
    with pytest.raises(ValidationError) as info:
        TagFilterPart(tagtype, values)

    assert named in str(info.value)


def test_filter_without_parts_is_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        TagFilter([])


def test_error_carries_the_field_it_was_parsed_for() -> None:
    with pytest.raises(ValidationError) as info:
        TagFilter.parse("Base", field="excludecustomtagfilter")

    assert info.value.field == "excludecustomtagfilter"


def test_coerce_keeps_a_filter_and_parses_text() -> None:
    tag_filter = TagFilter.parse(REFERENCE_EXAMPLE)

    assert TagFilter.coerce(tag_filter) is tag_filter
    assert TagFilter.coerce(REFERENCE_EXAMPLE) == tag_filter


# -- matches(): AND between parts, OR between values (2.2.6) ---------------------------------


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        pytest.param({"Base": {"OSL"}, "On call": {"Yes"}}, True, id="one-value-of-each-part"),
        pytest.param(
            {"Base": {"STO", "GOT"}, "On call": {"Yes"}, "Group": {"Management"}},
            True,
            id="extra-tags-ignored",
        ),
        pytest.param({"Base": {"OSL"}}, False, id="second-part-missing"),
        pytest.param({"Base": {"GOT"}, "On call": {"Yes"}}, False, id="value-not-listed"),
        pytest.param({"Base": {"OSL"}, "On call": {"No"}}, False, id="second-part-wrong-value"),
        pytest.param({}, False, id="no-tags"),
    ],
)
def test_contact_matches_only_if_every_part_has_one_of_its_values(
    tags: dict[str, set[str]], expected: bool
) -> None:
    assert TagFilter.parse(REFERENCE_EXAMPLE).matches(tags) is expected


# -- JSON form (G1: the product's documented shape) -----------------------------------------


def test_to_json_has_the_documented_shape() -> None:
    assert TagFilter.parse(REFERENCE_EXAMPLE).to_json() == [
        {"tagtype": "Base", "tagvalues": ["STO", "OSL", "CPH"]},
        {"tagtype": "On call", "tagvalues": ["Yes"]},
    ]


def test_json_form_round_trips_as_list_and_as_text() -> None:
    tag_filter = TagFilter.parse(REFERENCE_EXAMPLE)

    assert TagFilter.from_json(tag_filter.to_json()) == tag_filter
    assert TagFilter.from_json(json.dumps(tag_filter.to_json())) == tag_filter


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("[{", id="not-json"),
        pytest.param("null", id="json-null"),
        pytest.param({"tagtype": "Base", "tagvalues": ["STO"]}, id="object-not-list"),
        pytest.param([], id="empty-list"),
        pytest.param(["Base:STO"], id="part-is-a-string"),
        pytest.param([{"tagvalues": ["STO"]}], id="tagtype-missing"),
        pytest.param([{"tagtype": "Base"}], id="tagvalues-missing"),
        pytest.param([{"tagtype": 7, "tagvalues": ["STO"]}], id="tagtype-not-text"),
        pytest.param([{"tagtype": "Base", "tagvalues": "STO"}], id="tagvalues-a-string"),
        pytest.param([{"tagtype": "Base", "tagvalues": ["STO", 3]}], id="value-not-text"),
        pytest.param([{"tagtype": "Base", "tagvalues": []}], id="no-values"),
        pytest.param([{"tagtype": "Base", "tagvalues": ["S|TO"]}], id="forbidden-character"),
    ],
)
def test_bad_json_shape_is_refused(data: Any) -> None:
    with pytest.raises(ValidationError):
        TagFilter.from_json(data, field="toaddressbooktagfilterjson")


def test_part_with_a_set_of_values_is_refused_as_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        TagFilter.from_json([{"tagtype": "Base", "tagvalues": {"STO"}}])


# -- characters the server would misread (issue 7 §2) ----------------------------------------

# (character, how the message names it)
FORBIDDEN = [
    pytest.param("\u200b", "ZERO WIDTH SPACE (U+200B)", id="zero-width-space"),
    pytest.param("\u200c", "ZERO WIDTH NON-JOINER (U+200C)", id="zwnj"),
    pytest.param("\u200d", "ZERO WIDTH JOINER (U+200D)", id="zwj"),
    pytest.param("\ufeff", "ZERO WIDTH NO-BREAK SPACE (U+FEFF)", id="bom"),
    pytest.param("\u00ad", "SOFT HYPHEN (U+00AD)", id="soft-hyphen"),
    pytest.param("\u202e", "RIGHT-TO-LEFT OVERRIDE (U+202E)", id="bidi-override"),
    pytest.param("\u2066", "LEFT-TO-RIGHT ISOLATE (U+2066)", id="bidi-isolate"),
    pytest.param("\u2028", "LINE SEPARATOR (U+2028)", id="line-separator"),
    pytest.param("\u2029", "PARAGRAPH SEPARATOR (U+2029)", id="paragraph-separator"),
    pytest.param("\x85", "NEXT LINE (U+0085)", id="next-line"),
    pytest.param("\t", "TAB (U+0009)", id="tab"),
    pytest.param("\x00", "U+0000", id="nul"),
    pytest.param("\x7f", "U+007F", id="delete"),
    pytest.param("\ud800", "U+D800", id="lone-high-surrogate"),
    pytest.param("\udfff", "U+DFFF", id="lone-low-surrogate"),
    pytest.param("\ufdd0", "U+FDD0", id="noncharacter-fdd0"),
    pytest.param("\ufffe", "U+FFFE", id="noncharacter-fffe"),
    pytest.param("\U0001ffff", "U+1FFFF", id="noncharacter-plane-1"),
    pytest.param("\U0010ffff", "U+10FFFF", id="noncharacter-last"),
    pytest.param("\U000e0001", "LANGUAGE TAG (U+E0001)", id="tag-character"),
]


@pytest.mark.parametrize(("character", "named"), FORBIDDEN)
def test_invisible_character_in_a_filter_is_refused_by_name_and_position(
    character: str, named: str
) -> None:
    # "On call:Yes" + the character: the server would look for a value nobody has.
    text = f"Base:STO;On call:Yes{character}"

    with pytest.raises(ValidationError) as info:
        TagFilter.parse(text, field="excludecustomtagfilter")

    message = str(info.value)
    assert named in message
    assert "at position 21" in message
    assert "'On call:Yes" in message  # the part it is in
    assert character not in message  # shown by name, never as itself
    assert info.value.field == "excludecustomtagfilter"


@pytest.mark.parametrize(("character", "named"), FORBIDDEN)
def test_invisible_character_in_a_part_or_json_filter_is_refused(
    character: str, named: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(named)):
        TagFilterPart("On call", ["No", f"Ye{character}s"])
    with pytest.raises(ValidationError, match=re.escape(named)):
        TagFilterPart(f"{character}On call", ["Yes"])
    with pytest.raises(ValidationError, match=re.escape(named)) as info:
        TagFilter.from_json([{"tagtype": "On call", "tagvalues": [f"Yes{character}"]}], field="f")
    assert info.value.field == "f"


def test_json_text_with_an_escaped_invisible_character_is_refused() -> None:
    # JSON can carry the character as an escape: the parsed name is what counts.
    with pytest.raises(ValidationError, match=re.escape("ZERO WIDTH SPACE (U+200B)")):
        TagFilter.from_json('[{"tagtype": "On call", "tagvalues": ["Yes\\u200b"]}]')


@pytest.mark.parametrize(
    "name",
    ["Göteborg R&D", "Ärende ÅÖ", "Registered Nurse", "東京", "Ελλάδα", "Café 😀", "a\u0301"],
)
def test_visible_letters_symbols_and_marks_are_accepted(name: str) -> None:
    assert str(TagFilter.parse(f"Base:{name}")) == f"Base:{name}"


# -- properties: lossless printing and parsing (F9) -----------------------------------------


def refused(character: str) -> bool:
    """The rule of issue 7 §2 for names, written out independently of api/characters.py."""
    code = ord(character)
    return (
        unicodedata.category(character) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        or (unicodedata.category(character) == "Zs" and character != " ")
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


allowed_characters = st.characters(exclude_characters=";|:").filter(lambda c: not refused(c))
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
]
forbidden_characters = st.one_of(
    st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]),
    st.sampled_from(NONCHARACTERS),
    st.characters(categories=["Zs"]).filter(lambda c: c != " "),
)
names = st.text(allowed_characters, min_size=1, max_size=12).map(str.strip).filter(bool)
tag_filters = st.lists(
    st.builds(TagFilterPart, names, st.lists(names, min_size=1, max_size=4)),
    min_size=1,
    max_size=4,
).map(TagFilter)


@settings(max_examples=200)
@given(tag_filters)
def test_printed_filter_parses_back_to_itself(tag_filter: TagFilter) -> None:
    text = str(tag_filter)

    reparsed = TagFilter.parse(text)

    assert reparsed == tag_filter
    assert str(reparsed) == text


@settings(max_examples=200)
@given(tag_filters)
def test_json_form_parses_back_to_itself(tag_filter: TagFilter) -> None:
    assert TagFilter.from_json(json.dumps(tag_filter.to_json())) == tag_filter


@settings(max_examples=150)
@given(tag_filters, forbidden_characters, st.data())
def test_a_forbidden_character_anywhere_is_refused_by_code_point(
    tag_filter: TagFilter, character: str, data: st.DataObject
) -> None:
    text = str(tag_filter)
    at = data.draw(st.integers(0, len(text)))
    tampered = text[:at] + character + text[at:]

    with pytest.raises(ValidationError) as info:
        TagFilter.parse(tampered, field="excludecustomtagfilter")

    assert f"U+{ord(character):04X}" in str(info.value)
    assert f"position {at + 1}" in str(info.value)
    assert info.value.field == "excludecustomtagfilter"
