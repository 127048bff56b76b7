"""The Russian name picked among GeoNames' untagged alternate names (geo.derive.geonames.pick_russian_name)."""

from __future__ import annotations

from geo.derive.geonames import pick_russian_name


def test_spellings_with_letters_outside_the_russian_alphabet_are_not_russian() -> None:
    # Ukrainian і and ь-less endings, Belarusian ы/і, Kazakh ң: GeoNames lists them beside the Russian name.
    alternates = ["Рибінськ", "Рыбінск", "Рибинск", "Рыбинск"]
    assert pick_russian_name("Rybinsk", alternates) == "Рыбинск"
    # The Kazakh spelling romanises closest to "Beijing"; it is not Russian, so it is not picked.
    assert pick_russian_name("Beijing", ["Бейжің", "Пекин"]) == "Пекин"


def test_no_russian_spelling_gives_no_name() -> None:
    assert pick_russian_name("Beijing", ["Бейжің", "北京"]) == ""
