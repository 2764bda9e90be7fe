import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lindung.lib.names import name_display, name_key

KEY_RE = re.compile(r"([a-z0-9]+( [a-z0-9]+)*)?")


# (spelling, key): the same person written the ways registers and spreadsheets write them.
NAME_KEYS = [
    # single names are normal in Indonesia
    ("Sukarni", "sukarni"),
    ("  SUKARNI  ", "sukarni"),
    ("Paijo", "paijo"),
    ("M", "m"),
    ("M.", "m"),
    # whitespace and punctuation
    ("Siti   Aminah", "siti aminah"),
    ("Siti\tAminah\n", "siti aminah"),
    ("Ma'ruf Amin", "maruf amin"),
    ("Ma\u2019ruf Amin", "maruf amin"),
    ("Siti-Aminah", "siti aminah"),
    ("Siti (Aminah)", "siti aminah"),
    ("I Gusti Ngurah Rai", "i gusti ngurah rai"),
    ("Agus 2", "agus 2"),
    # accents
    ("Jos\u00e9 Ramos", "jose ramos"),
    ("Jose\u0301 Ramos", "jose ramos"),
    ("Ren\u00e9e", "renee"),
    # Muhammad family
    ("Muhammad Ridwan", "muhammad ridwan"),
    ("Muhamad Ridwan", "muhammad ridwan"),
    ("Mohammad Ridwan", "muhammad ridwan"),
    ("Mohamad Ridwan", "muhammad ridwan"),
    ("Mohammed Ridwan", "muhammad ridwan"),
    ("Muhammed Ridwan", "muhammad ridwan"),
    ("Mochammad Ridwan", "muhammad ridwan"),
    ("Mochamad Ridwan", "muhammad ridwan"),
    ("Mukhammad Ridwan", "muhammad ridwan"),
    ("Moch. Ridwan", "muhammad ridwan"),
    ("Moch Ridwan", "muhammad ridwan"),
    ("Moh. Ridwan", "muhammad ridwan"),
    ("Moh Ridwan", "muhammad ridwan"),
    ("Mhd. Ridwan", "muhammad ridwan"),
    ("Mhd Ridwan", "muhammad ridwan"),
    ("Muh. Ridwan", "muhammad ridwan"),
    ("Muh Ridwan", "muhammad ridwan"),
    ("M. Ridwan", "muhammad ridwan"),
    ("M Ridwan", "muhammad ridwan"),
    ("M.Ridwan", "muhammad ridwan"),
    ("Ridwan M", "ridwan muhammad"),
    ("Muhammad", "muhammad"),
    ("Moch.", "muhammad"),
    ("Moehammad Hatta", "muhammad hatta"),
    ("Mohammad Moch Hatta", "muhammad muhammad hatta"),
    ("Mumammad", "mumammad"),  # typos are not guessed
    ("Mohan", "mohan"),
    # Abdul, Siti, Nur
    ("Abdul Rahman", "abdul rahman"),
    ("Abd. Rahman", "abdul rahman"),
    ("Abd Rahman", "abdul rahman"),
    ("Abd.Rahman", "abdul rahman"),
    ("Abdoel Rahman", "abdul rahman"),
    ("Sitti Nurbaya", "siti nurbaya"),
    ("Siti Nurbaya", "siti nurbaya"),
    ("Noer Hasanah", "nur hasanah"),
    ("Nur Hasanah", "nur hasanah"),
    ("Nurul Huda", "nurul huda"),
    # titles before, after, with and without dots and commas
    ("H. Ahmad Dahlan", "ahmad dahlan"),
    ("H.Ahmad Dahlan", "ahmad dahlan"),
    ("Hj. Siti Aminah", "siti aminah"),
    ("Hj Siti Aminah", "siti aminah"),
    ("Hajjah Siti Aminah", "siti aminah"),
    ("Haji Agus Salim", "agus salim"),
    ("Hadji Agoes Salim", "agus salim"),
    ("Drs. Bambang", "bambang"),
    ("Dra. Sri Wahyuni", "sri wahyuni"),
    ("Dr. Ir. Bambang", "bambang"),
    ("Prof. Dr. Bambang", "bambang"),
    ("Ust. Abdul Somad", "abdul somad"),
    ("Ustadz Abdul Somad", "abdul somad"),
    ("Ny. Sri Wahyuni", "sri wahyuni"),
    ("Nn. Sri", "sri"),
    ("Tn. Budi", "budi"),
    ("Bpk. Budi", "budi"),
    ("Ibu Sri", "sri"),
    ("Siti Aminah, S.Pd.", "siti aminah"),
    ("Siti Aminah, S.Pd", "siti aminah"),
    ("Siti Aminah, SPd", "siti aminah"),
    ("Siti Aminah,S.Pd.", "siti aminah"),
    ("Siti Aminah, S. Pd.", "siti aminah"),
    ("Siti Aminah, S.Pd.I", "siti aminah"),
    ("Siti Aminah S.Pd.", "siti aminah"),
    ("Siti Aminah, S.Pd., M.Pd.", "siti aminah"),
    ("Siti Aminah, S.Pd M.Pd", "siti aminah"),
    ("Budi Santoso, S.E.", "budi santoso"),
    ("Budi Santoso, SE", "budi santoso"),
    ("Budi Santoso S.E.", "budi santoso"),
    ("Budi Santoso, S.H.", "budi santoso"),
    ("Budi Santoso, S.Kom.", "budi santoso"),
    ("Budi Santoso, S.Ag.", "budi santoso"),
    ("Budi Santoso, S.Sos.", "budi santoso"),
    ("Budi Santoso, S.T.", "budi santoso"),
    ("Budi Santoso, S.Kep.", "budi santoso"),
    ("Budi Santoso, A.Md.", "budi santoso"),
    ("Budi Santoso, M.Si.", "budi santoso"),
    ("Drs. H. Moh. Hatta, M.Si", "muhammad hatta"),
    ("H. M. Yusuf", "muhammad yusuf"),
    ("Hj. Sitti Noerhaliza, S.Pd.", "siti nurhaliza"),
    # short words that are also initials/names survive without dots
    ("Ahmad H", "ahmad h"),
    ("Budi Se", "budi se"),
    # nothing but titles: keep them rather than return an empty key
    ("Hj.", "hj"),
    ("Haji", "haji"),
    ("H.", "h"),
    ("Haji Ust", "haji ust"),
    ("H. M.", "m"),
    # old spellings
    ("Soekarno", "sukarno"),
    ("Soeharto", "suharto"),
    ("Djoko Tjahjono", "joko cahyono"),
    ("Tjipto Mangoenkoesoemo", "cipto mangunkusumo"),
    ("Djojohadikoesoemo", "joyohadikusumo"),
    ("Joko Widodo", "joko widodo"),  # modern j is left alone
    ("Jaja Miharja", "jaja miharja"),
    ("Kuswoyo", "kuswoyo"),
    # double letters and ch are left alone
    ("Sitti Khodijah", "siti khodijah"),
    ("Anna Yusuf", "anna yusuf"),
    ("Achmad Sobari", "achmad sobari"),
    # empty-ish
    ("", ""),
    ("   ", ""),
    ("...", ""),
    (", ,", ""),
]


@pytest.mark.parametrize(("name", "expected"), NAME_KEYS)
def test_name_key(name: str, expected: str) -> None:
    assert name_key(name) == expected
    assert name_key(expected) == expected


def test_equivalent_spellings_share_a_key() -> None:
    variants = [
        "H. Moch. Soekarno, S.H.",
        "Muhammad Sukarno",
        "mohamad  soekarno",
        "M. Sukarno S.H.",
    ]
    assert {name_key(v) for v in variants} == {"muhammad sukarno"}


@given(st.text())
@example("Dr. H.")
@example("ddjj")
@example("H. M.")
@example("\u0130stanbul")
@example("\u210c. Budi")
def test_properties(name: str) -> None:
    key = name_key(name)
    assert KEY_RE.fullmatch(key), key
    assert "  " not in key
    assert key == key.strip()
    assert name_key(key) == key


titled_names = st.lists(
    st.sampled_from(
        [
            "H.", "Hj.", "Dr.", "Moch.", "M.", "Muhammad", "Abd.", "Siti", "Sitti", "Soekarno",
            "Djoko", "Tjahjono", "Noer", "Nurul", "Budi", "Aminah", ",", ", S.Pd.", ", S.E.",
            "S.H.", "Ir.", "Ibu", "M", "H", "SE", "ddjj", "Oe", "joe",
        ]
    ),
    max_size=8,
).map(" ".join)  # fmt: skip


@given(titled_names)
def test_idempotent_on_realistic_names(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
    assert KEY_RE.fullmatch(key)


plain_names = st.lists(
    st.sampled_from(
        [
            "Hj", "Haji", "Dr", "Moch", "M", "m", "Muhammad", "Abd", "Sitti", "Soekarno", "Djoko",
            "Tjahjono", "Noer", "Budi", "Ibu", "H", "SE", "ddjj", "Oe", "JOE", "Ma'ruf", "José",
            "Siti-Aminah", "2",
        ]
    ),
    max_size=6,
).map(" ".join)  # fmt: skip


@given(st.one_of(plain_names, st.text()))
@example("Hj Ibu")
@example("M")
def test_a_trailing_comma_changes_no_key(name: str) -> None:
    # Names without dots or commas take a shorter road; the comma sends them down the full one.
    assert name_key(name) == name_key(name + ",")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  Siti   Aminah ", "Siti Aminah"),
        ("H. Moch.\tRidwan\n", "H. Moch. Ridwan"),
        ("sUKARNI", "sUKARNI"),
        ("", ""),
    ],
)
def test_name_display(name: str, expected: str) -> None:
    assert name_display(name) == expected


@given(st.text())
def test_name_display_properties(name: str) -> None:
    shown = name_display(name)
    assert shown == shown.strip()
    assert "  " not in shown
    assert name_display(shown) == shown
