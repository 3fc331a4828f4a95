"""File names: sanitizing and Content-Disposition (RFC 6266) parsing; Content-Range parsing."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_finder.core.download import filename_from_content_disposition, sanitize_filename
from scene_finder.core.download.files import MAX_NAME_BYTES, candidate_names, content_range


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("LC09_L2SP_044034_20230326_20230328_02_T1.tar", "LC09_L2SP_044034_20230326_20230328_02_T1.tar"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("/absolute/path/file.tif", "file.tif"),
        ("..", "download"),
        (".", "download"),
        ("", "download"),
        (None, "download"),
        ("a/b/", "download"),
        ("bad\x00name\x1f\x7f.tif", "badname.tif"),
        ("new\nline.txt", "newline.txt"),
        ('what?*:"<>|.tif', "what_______.tif"),
        ("a..b.tif", "a.b.tif"),
        ("  .hidden  ", "hidden"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("météo 😀.tif", "météo 😀.tif"),
        ("CONIN$", "_CONIN$"),
        ("conout$.txt", "_conout$.txt"),
        ("COM¹.log", "_COM¹.log"),
        ("CON .txt", "_CON .txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # right-to-left override: shown as "invoiceexe.jpg"
        ("a\u200bb\u2066c\u2069\ufeff.tif", "abc.tif"),  # zero-width, isolates, BOM
        ("lone\udc80surrogate\ud800.tif", "lonesurrogate.tif"),
        ("line\u2028break.txt", "linebreak.txt"),
        ("scene.tar.part", "scene.tar_part"),
        ("scene.tar.PART", "scene.tar_PART"),
        ("scene.tar.part.json", "scene.tar_part.json"),
        ("scene.tar.part.lock", "scene.tar_part.lock"),
        (".part", "part"),
        ("\u202e", "download"),
    ],
)
def test_sanitize_filename(raw, safe):
    assert sanitize_filename(raw) == safe


def test_sanitize_filename_limits_length_and_keeps_extension():
    name = sanitize_filename("é" * 300 + ".tar.gz")
    assert name.endswith(".gz")
    assert len(name.encode("utf-8")) <= 200


RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$",
            *(f"{kind}{digit}" for kind in ("com", "lpt") for digit in "123456789¹²³")}


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(st.characters(exclude_categories=())),  # lone surrogates too
    st.lists(st.sampled_from(["/", "\\", " ", ".", ":", "*", "$", "CON", "conin$", "com¹", "part", "json", "lock",
                              "\u202e", "\u200f", "\ud800", "é", "a", "\x00"])).map("".join),
))
def test_any_string_becomes_a_safe_name(raw):
    name = sanitize_filename(raw)
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES  # encodable: no lone surrogate
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name)
    assert not any(c in '<>:"|?*' for c in name)
    assert name == name.strip(" .")
    assert name.split(".", 1)[0].rstrip(" ").lower() not in RESERVED
    assert not name.lower().endswith((".part", ".part.json", ".part.lock"))
    assert sanitize_filename(name) == name  # stable


def test_candidate_names_number_the_stem_and_keep_the_extension():
    names = list(candidate_names("scene.tar"))
    assert names[:3] == ["scene.tar", "scene (1).tar", "scene (2).tar"]
    assert len(set(names)) == len(names) == 100
    long = sanitize_filename("é" * 300 + ".tif")
    numbered = list(candidate_names(long))
    assert len(set(numbered)) == 100 and all(n.endswith(".tif") for n in numbered)
    assert all(len(n.encode("utf-8")) <= MAX_NAME_BYTES for n in numbered)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="LC09_T1.tar"', "LC09_T1.tar"),
        ("attachment; filename=LC09_T1.tar", "LC09_T1.tar"),
        ("attachment;filename=LC09_T1.tar;size=10", "LC09_T1.tar"),
        ('attachment; filename="quoted \\"name\\".tif"', "quoted _name_.tif"),
        ("attachment; filename*=UTF-8''m%C3%A9t%C3%A9o%20plume.tif", "météo plume.tif"),
        ("attachment; filename*=utf-8'en'%E2%82%AC%20rates.csv", "€ rates.csv"),
        ("attachment; filename*=iso-8859-1''caf%E9.txt", "café.txt"),
        ('attachment; filename="fallback.tif"; filename*=UTF-8\'\'preferred.tif', "preferred.tif"),
        ('attachment; filename*=UTF-8\'\'preferred.tif; filename="fallback.tif"', "preferred.tif"),
        ("attachment; filename*=bogus-charset''x.tif; filename=\"ok.tif\"", "ok.tif"),
        ('attachment; filename="../../.ssh/authorized_keys"', "authorized_keys"),
        ('attachment; filename="C:\\\\temp\\\\evil.exe"', "evil.exe"),
        ('attachment; filename=".."', None),
        ("attachment; filename*=UTF-8''evil%E2%80%AEfdp.exe", "evilfdp.exe"),
        ('attachment; filename="scene.tar.part"', "scene.tar_part"),
        ('attachment; filename="CONOUT$"', "_CONOUT$"),
        ("attachment", None),
        ("inline", None),
        ("", None),
        (None, None),
    ],
)
def test_filename_from_content_disposition(header, name):
    assert filename_from_content_disposition(header) == name


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("bytes 100-199/1000", (100, 1000)),
        ("bytes 0-0/*", (0, None)),
        ("bytes */1000", (None, 1000)),
        ("BYTES 5-9/10", (5, 10)),
        ("nonsense", (None, None)),
        (None, (None, None)),
    ],
)
def test_content_range(header, parsed):
    assert content_range(header) == parsed
