import unicodedata

import pytest

from coso.core.text import fold, name_sort_key, nfc, split_name


def test_fold_strips_diacritics_and_case():
    assert fold("Nguyễn Thị Hoà") == "nguyen thi hoa"
    assert fold("ĐẶNG  Văn   Đức") == "dang van duc"


@pytest.mark.parametrize(
    "text", ["Hòa", "Hoà", unicodedata.normalize("NFD", "Hoà"), unicodedata.normalize("NFD", "Hòa")]
)
def test_fold_is_the_same_for_nfc_nfd_and_old_and_new_tone_placement(text):
    assert fold(text) == "hoa"


def test_nfc_normalizes_and_collapses_spaces():
    assert nfc(unicodedata.normalize("NFD", " Nguyễn  Thị Hoà ")) == unicodedata.normalize(
        "NFC", "Nguyễn Thị Hoà"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Thị Hoa", "Nguyễn Thị Hoa"),
        ("093185004321", "093185004321"),
        ("Nguyễn\u00a0Thị", "Nguyễn Thị"),  # a no-break space (Excel) is white space too
        ("Nguyễn\tThị\nHoa", "Nguyễn Thị Hoa"),
        ("Nguyễn Thị ", "Nguyễn Thị"),
        (" Thị", "Thị"),
        ("a\u2003\u2003b", "a b"),
        (unicodedata.normalize("NFD", "Hoà"), "Hoà"),
        (12, "12"),
        ("   ", ""),
    ],
)
def test_nfc_without_anything_to_collapse_is_the_text_itself_and_every_white_space_still_collapses(
    text, expected
):
    assert nfc(text) == expected


def test_split_name_family_middle_given():
    assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_name("Lò Văn") == ("Lò", "", "Văn")
    assert split_name("Ánh") == ("", "", "Ánh")


def test_names_sort_by_given_then_middle_then_family():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An", "Phạm Văn An"]
    assert sorted(names, key=name_sort_key) == ["Lê Thị An", "Nguyễn Văn An", "Phạm Văn An", "Trần Văn Bình"]


def test_vietnamese_letters_follow_the_alphabet():
    # a < ă < â < b ... d < đ < e < ê ... o < ô < ơ ... u < ư
    names = [
        "Lê Văn Đạt",
        "Lê Văn Dũng",
        "Lê Văn Ân",
        "Lê Văn Ăn",
        "Lê Văn Anh",
        "Lê Văn Ơn",
        "Lê Văn Ôn",
        "Lê Văn Ưng",
        "Lê Văn Uy",
    ]
    ordered = sorted(names, key=name_sort_key)
    assert [n.split()[-1] for n in ordered] == ["Anh", "Ăn", "Ân", "Dũng", "Đạt", "Ôn", "Ơn", "Uy", "Ưng"]


def test_tones_order_level_grave_hook_tilde_acute_dot():
    names = ["Lê Văn Mạ", "Lê Văn Má", "Lê Văn Mã", "Lê Văn Mả", "Lê Văn Mà", "Lê Văn Ma"]
    ordered = sorted(names, key=name_sort_key)
    assert [n.split()[-1] for n in ordered] == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]


def test_tone_is_compared_syllable_by_syllable():
    # Dictionary order: the tone of the first syllable decides before later letters do.
    assert name_sort_key("Lê Văn Hoa") < name_sort_key("Lê Văn Hòa")
    assert name_sort_key("Lê Văn Hoa") < name_sort_key("Lê Văn Hoang")


def test_sort_key_is_digits_only_so_every_database_collation_agrees():
    assert name_sort_key("Nguyễn Thị Hoà").isdigit()
