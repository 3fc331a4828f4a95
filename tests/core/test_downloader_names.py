"""File names: sanitizing and Content-Disposition (RFC 6266) parsing; Content-Range parsing."""

from __future__ import annotations

import pytest

from scene_finder.core.download_files import content_range
from scene_finder.core.downloader import filename_from_content_disposition, sanitize_filename


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
    ],
)
def test_sanitize_filename(raw, safe):
    assert sanitize_filename(raw) == safe


def test_sanitize_filename_limits_length_and_keeps_extension():
    name = sanitize_filename("é" * 300 + ".tar.gz")
    assert name.endswith(".gz")
    assert len(name.encode("utf-8")) <= 200


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
