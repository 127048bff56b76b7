"""The data block's base-85 text (geo/page/text85.py): exact round trips, the alphabet, and located refusals."""

from __future__ import annotations

import base64
import random

import pytest

from geo.page import text85


@pytest.mark.parametrize("size", [*range(0, 13), 1000, 4097])
def test_round_trip_is_exact_and_as_long_as_base85_says(size: int) -> None:
    data = random.Random(size).randbytes(size)  # noqa: S311 - reproducible test data, not secrets
    encoded = text85.encode(data)
    whole, rest = divmod(size, 4)
    assert len(encoded) == whole * 5 + (rest + 1 if rest else 0)
    assert text85.decode(encoded.decode("ascii")) == data


def test_the_digits_are_python_b85encode_s_in_another_alphabet() -> None:
    # Same arithmetic as a standard base 85 (RFC 1924's alphabet, as Python's b85encode): only the characters differ.
    standard = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
    data = random.Random(7).randbytes(999)  # noqa: S311 - reproducible test data, not secrets
    ours = text85.encode(data).decode("ascii").translate(str.maketrans(text85.ALPHABET, standard))
    assert ours == base64.b85encode(data).decode("ascii")


def test_the_alphabet_is_85_characters_none_of_which_html_or_a_template_reads() -> None:
    assert len(text85.ALPHABET) == len(set(text85.ALPHABET)) == 85
    assert not set(text85.ALPHABET) & set(text85.EXCLUDED)
    assert all(33 <= ord(char) <= 126 for char in text85.ALPHABET)
    assert set(text85.EXCLUDED) >= set("<>&{}\"'")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abcd<", "'<' at 4 is not in the base-85 alphabet"),
        ("ab{", "'{' at 2 is not"),
        ("abcdef", "a last group of 1 character"),
        ("~~~~~", "larger than 4 bytes"),
    ],
)
def test_decode_names_what_is_wrong_and_where(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        text85.decode(text)
