"""SMS length counting: GSM-7 and UCS-2 boundaries, extension characters, surrogate pairs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_desktop.api.sms import GSM7_BASIC, GSM7_EXTENSION, SmsCount, count_sms

EXTENSION = "^{}\\[~]|€\f"
ALL_GSM = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def test_empty_text_needs_no_part() -> None:
    assert count_sms("") == SmsCount("GSM-7", 0, 0, 0, 160)


def test_alphabet_tables_are_exact() -> None:
    assert len(ALL_GSM) == 127
    assert frozenset(ALL_GSM) == GSM7_BASIC
    assert frozenset(EXTENSION) == GSM7_EXTENSION


@pytest.mark.parametrize(
    ("length", "parts", "remaining"),
    [(1, 1, 159), (160, 1, 0), (161, 2, 145), (306, 2, 0), (307, 3, 152), (459, 3, 0)],
)
def test_gsm7_boundaries(length: int, parts: int, remaining: int) -> None:
    assert count_sms("a" * length) == SmsCount("GSM-7", length, length, parts, remaining)


@pytest.mark.parametrize("char", list(EXTENSION))
def test_extension_characters_cost_two_septets(char: str) -> None:
    count = count_sms(f"a{char}b")
    assert (count.encoding, count.characters, count.units) == ("GSM-7", 3, 4)


def test_every_basic_character_stays_gsm7() -> None:
    count = count_sms(ALL_GSM)
    assert (count.encoding, count.characters, count.units) == ("GSM-7", 127, 127)


def test_eighty_euro_signs_fill_one_part() -> None:
    assert count_sms("€" * 80) == SmsCount("GSM-7", 80, 160, 1, 0)
    assert count_sms("€" * 81) == SmsCount("GSM-7", 81, 162, 2, 153 - 10)


def test_extension_pair_is_not_split_across_parts() -> None:
    # 152 septets then a two-septet character: 154 > 153, so the euro sign opens part 2.
    text = "a" * 152 + "€" + "a" * 10
    count = count_sms(text)
    assert count.units == 164
    assert count.parts == 2
    assert count.remaining == 153 - 12
    # Naive ceil(units / 153) would say 2 as well; this one needs packing to see part 3.
    text = ("a" * 152 + "€") * 2
    assert count_sms(text).units == 308
    assert count_sms(text).parts == 3


def test_extension_pair_at_exact_part_end_fits() -> None:
    count = count_sms("a" * 151 + "€" + "a" * 153)
    assert (count.units, count.parts, count.remaining) == (306, 2, 0)


@pytest.mark.parametrize(
    ("length", "parts", "remaining"),
    [(1, 1, 69), (70, 1, 0), (71, 2, 63), (134, 2, 0), (135, 3, 66)],
)
def test_ucs2_boundaries(length: int, parts: int, remaining: int) -> None:
    text = "Ж" * length
    assert count_sms(text) == SmsCount("UCS-2", length, length, parts, remaining, ("Ж",))


def test_emoji_counts_two_units_and_one_character() -> None:
    assert count_sms("😀" * 35) == SmsCount("UCS-2", 35, 70, 1, 0, ("😀",))
    # 33 emoji (66 units) fill a part of 67: the 34th would split its surrogate pair.
    assert count_sms("😀" * 36) == SmsCount("UCS-2", 36, 72, 2, 67 - 6, ("😀",))


def test_surrogate_pair_is_not_split_across_parts() -> None:
    # 66 units then an emoji: 68 > 67, so the emoji opens part 2.
    count = count_sms("x" * 66 + "😀" + "x" * 10)
    assert (count.units, count.parts, count.remaining) == (78, 2, 67 - 12)
    count = count_sms(("x" * 66 + "😀") * 2)
    assert (count.units, count.parts) == (136, 3)


def test_one_non_gsm_character_switches_the_whole_text() -> None:
    count = count_sms("Hello € world ç")
    assert count.encoding == "UCS-2"
    # In UCS-2 the euro sign is one unit, not two.
    assert count.units == 15
    assert count.ucs2_characters == ("ç",)


def test_ucs2_characters_are_distinct_in_order_of_first_use() -> None:
    assert count_sms("aé“b”“ ✓").ucs2_characters == ("“", "”", "✓")


def test_lone_surrogate_is_counted_not_raised() -> None:
    assert count_sms("a\ud800").units == 2


def test_mixed_text_counts_code_points_as_characters() -> None:
    count = count_sms("Larm 🚒 på Östra vägen")
    assert count.characters == 21
    assert count.units == 22


# Runs of repeated characters reach the part boundaries (160, 306, 70, 134, …) quickly.
ALPHABET = st.sampled_from(["a", "€", "\n", "Ж", "😀"])
LONG_TEXTS = st.lists(st.tuples(ALPHABET, st.integers(1, 90)), max_size=8).map(
    lambda runs: "".join(char * times for char, times in runs)
)


@given(LONG_TEXTS, st.text(alphabet=ALPHABET, max_size=3))
def test_parts_never_decrease_when_appending(text: str, appended: str) -> None:
    assert count_sms(text + appended).parts >= count_sms(text).parts


@given(st.one_of(LONG_TEXTS, st.text()))
def test_units_fit_in_the_parts(text: str) -> None:
    count = count_sms(text)
    single, multi = (160, 153) if count.encoding == "GSM-7" else (70, 67)
    capacity = single if count.parts <= 1 else multi * count.parts
    assert count.units <= capacity
    assert 0 <= count.remaining <= single
