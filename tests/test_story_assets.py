"""Pictures beside the stories: published with them, where a story's relative link finds them,
encoded again from their pixels alone so that no metadata reaches a reader; anything else in
the stories' folder is told."""

from __future__ import annotations

import io
import os
import time
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, PngImagePlugin

from conftest import SiteDir, check_summary
from regioverhalen.cli import main
from regioverhalen.content import images
from regioverhalen.content.discovery import left_beside_content

#: The smallest PNG a browser shows: one transparent pixel.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)
CONSENT = "names participant 'achterhoek-boer', who has not consented (public: true); describe them by role instead"


def _with_photo(site: SiteDir, name: str = "foto.png", picture: bytes = PIXEL) -> None:
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    story.write_text(story.read_text(encoding="utf-8") + f"\n![Het erf]({name})\n", encoding="utf-8")
    site.write_bytes(f"stories/achterhoek/{name}", picture)


def _story_in_subfolder(site: SiteDir) -> Path:
    """A story in the subfolder 2024/ of its region's folder: stories/achterhoek/2024/een.md."""
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    moved = site.write("stories/achterhoek/2024/een.md", story.read_text(encoding="utf-8"))
    story.unlink()
    return moved


def _append(story: Path, markdown: str) -> int:
    """Add `markdown` (which starts with an empty line) to the story; the line its text starts on."""
    text = story.read_text(encoding="utf-8")
    story.write_text(text + markdown, encoding="utf-8")
    return len(text.splitlines()) + 2


def _show(site: SiteDir, slug: str, *pictures: str) -> None:
    story = site.root / "stories" / "achterhoek" / f"{slug}.md"
    shown = "".join(f"\n![Foto]({picture})\n" for picture in pictures)
    story.write_text(story.read_text(encoding="utf-8") + shown, encoding="utf-8")


def test_only_the_pictures_a_published_story_shows_are_published(site: SiteDir) -> None:
    # One only a draft shows may be of someone whose consent is still being asked.
    _with_photo(site)
    site.story("later", "achterhoek", extra="draft: true")
    _show(site, "later", "voor-later.png")
    site.write_bytes("stories/achterhoek/voor-later.png", PIXEL)
    site.write_bytes("stories/achterhoek/los.png", PIXEL)
    assert site.check().lines == ["1 story published, 1 draft held back, 0 errors"]
    built = site.build()
    assert sorted(path.name for path in (built / "verhalen").glob("*.png")) == ["foto.png"]


def _png_with_text(text: str) -> bytes:
    """The pixel, saved with `text` in every kind of text a PNG can hold: plain, compressed, international."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", text)
    info.add_text("Comment", text, zip=True)
    info.add_itxt("Title", text, zip=True)
    out = io.BytesIO()
    with Image.open(io.BytesIO(PIXEL)) as pixel:
        pixel.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _texts_in(data: bytes, text: str) -> list[str]:
    """Where `text` is in a file's bytes, as they are or as the file decodes them."""
    found = [
        f"bytes as {encoding}" for encoding in ("utf-8", "utf-16-le", "utf-16-be") if text.encode(encoding) in data
    ]
    with Image.open(io.BytesIO(data)) as image:
        found += [f"info {key}" for key, value in image.info.items() if text in str(value)]
        return found + [f"exif {tag}" for tag, value in image.getexif().items() if text in str(value)]


def test_a_picture_beside_a_story_is_published_where_the_story_links_to_it(site: SiteDir) -> None:
    _with_photo(site)
    site.write_bytes("stories/achterhoek/fotos/erf.png", PIXEL)
    _show(site, "een", "fotos/erf.png")
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    built = site.build()  # --strict: MkDocs finds the link's target
    published = built / "verhalen" / "foto.png"
    with Image.open(published) as pixel:
        assert pixel.getpixel((0, 0)) == (0, 0, 0, 0)  # the same transparent pixel
    assert (built / "verhalen" / "fotos" / "erf.png").is_file()
    page = BeautifulSoup((built / "verhalen" / "een" / "index.html").read_text(encoding="utf-8"), "html.parser")
    image = page.select_one("article img[alt='Het erf']")
    assert image is not None and image["src"] == "../foto.png"  # from /verhalen/een/ to /verhalen/foto.png


def test_what_a_picture_file_holds_besides_its_pixels_is_not_published(site: SiteDir) -> None:
    # A name the check cannot read: compressed, or in another encoding.
    secret = "Geheime Boer Achterhoek"
    site.region("achterhoek")
    site.story("een", "achterhoek")
    _show(site, "een", "met-tekst.png", "foto.jpg")
    site.write_bytes("stories/achterhoek/met-tekst.png", _png_with_text(secret))
    exif = Image.Exif()
    exif[0x9C9D] = secret.encode("utf-16-le") + b"\0\0"  # the author, as Windows writes it
    exif[0x0112] = 6  # taken on its side: to be turned a quarter to the right
    photo = io.BytesIO()
    Image.new("RGB", (4, 2), (90, 140, 60)).save(photo, "JPEG", exif=exif.tobytes(), comment=secret.encode())
    site.write_bytes("stories/achterhoek/foto.jpg", photo.getvalue())
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    built = site.build()
    for name in ("met-tekst.png", "foto.jpg"):
        data = (built / "verhalen" / name).read_bytes()
        assert _texts_in(data, secret) == [], name
    with Image.open(built / "verhalen" / "foto.jpg") as upright:
        assert upright.size == (2, 4)  # turned as the tag said


def test_a_large_picture_is_published_at_most_2000_pixels_on_its_longest_side(site: SiteDir) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 140, 60)).save(photo, "JPEG")
    _with_photo(site, name="groot.jpg", picture=photo.getvalue())
    with Image.open(site.build() / "verhalen" / "groot.jpg") as published:
        assert published.size == (2000, 1500)


def test_the_export_publishes_it_in_the_same_place(site: SiteDir) -> None:
    _with_photo(site, picture=_png_with_text("Kop"))
    exported = site.command("export", str(site.root / "uit"))
    assert exported.code == 0, exported.err
    assert _texts_in((site.root / "uit" / "docs" / "verhalen" / "foto.png").read_bytes(), "Kop") == []


def _gif_of_frames(count: int) -> bytes:
    """A small animation of `count` frames: each decoded frame takes the memory of the whole picture."""
    frames = [Image.new("L", (8, 8), n * 7 % 256) for n in range(count)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "film.gif",
            _gif_of_frames(501),
            "the picture is larger than 40 million pixels, its frames together; make it smaller",
        ),
        ("foto.jpg", PIXEL, "the file is a PNG picture, not a JPEG as its name says; save it as JPEG"),
        (
            "kaart.png",
            b"<svg onload='alert(1)'/>",
            "the file is not a picture that can be read; save it again as a picture",
        ),
    ],
    ids=["too-many-frames", "other-kind", "no-picture"],
)
def test_a_file_that_is_no_picture_of_its_kind_is_refused(site: SiteDir, name: str, data: bytes, message: str) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    _show(site, "een", name)
    site.write_bytes(f"stories/achterhoek/{name}", data)
    assert site.check().lines == [f"stories/achterhoek/{name}:1:1: error: {message}", check_summary(1, 1)]


def test_a_name_without_consent_in_its_file_name_is_refused(site: SiteDir) -> None:
    _with_photo(site, name="geheime-boer-achterhoek.png")
    assert site.check().lines == [
        f"stories/achterhoek/een.md:13:12: error: {CONSENT}",  # the link to it
        f"stories/achterhoek/geheime-boer-achterhoek.png:1:1: error: file name 'geheime-boer-achterhoek.png' {CONSENT}; "
        "rename it",
        check_summary(2),
    ]


def test_a_file_name_used_twice_is_told_at_the_second(site: SiteDir) -> None:
    _with_photo(site)
    site.region("de-peel")
    site.write_bytes("stories/de-peel/Foto.png", PIXEL)
    assert site.check().lines == [
        "stories/de-peel/Foto.png:1:1: error: 'Foto.png' is already published from stories/achterhoek/foto.png: "
        "the pictures beside the stories are published by their path in their region's folder; rename one of them",
        check_summary(1, 1),
    ]


SCRIPTS_AND_TEXT = (
    "SVG and PDF files are not published beside the stories: they can hold scripts and text that no check reads "
    "whole; ask the site's maintainer to put it in docs/"
)
NOT_A_STORY = (
    "not a story, nor a picture to publish beside the stories (.jpg, .jpeg, .png, .gif, .webp); "
    "rename it to end in '.md', or move it out of this folder"
)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nieuw-verhaal", NOT_A_STORY),
        ("ander-verhaal.md ", NOT_A_STORY),  # a space after the extension
        ("derde.mdx", NOT_A_STORY),
        ("vierde.md.orig", NOT_A_STORY),
        ("origineel.docx", NOT_A_STORY),
        ("kaart.svg", SCRIPTS_AND_TEXT),
        ("verslag.pdf", SCRIPTS_AND_TEXT),
        ("FOTO.JPG", "file extension must be lowercase '.jpg'"),
        (".vijfde.md", "a file whose name starts with '.' is not read; rename it"),
    ],
)
def test_no_other_file_in_the_stories_folder_is_passed_over_unseen(site: SiteDir, name: str, message: str) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    site.write(f"stories/achterhoek/{name}", (site.root / "stories/achterhoek/een.md").read_text(encoding="utf-8"))
    assert site.check().lines == [f"stories/achterhoek/{name}:1:1: error: {message}", check_summary(1, 1)]


@pytest.mark.parametrize(
    ("name", "left_beside"),
    [
        *((name, True) for name in ("Thumbs.db", "._een.md", ".#een.md", "een.md~", ".een.md.swp", ".een.md.swa")),
        # What a story, a picture or a hidden story is named: read or told of, never passed over.
        *((name, False) for name in ("een.md", "foto.jpg", ".een.md", "een.swp", ".swp", "een.md.orig", "~een.md")),
    ],
)
def test_what_is_passed_over_as_an_editor_s_or_system_s_file(name: str, left_beside: bool) -> None:
    assert left_beside_content(name) is left_beside


def test_stories_in_a_hidden_folder_are_told_and_other_hidden_files_left_alone(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    site.write("stories/achterhoek/.gitkeep", "")
    for made_by_a_system in ("Thumbs.db", "desktop.ini", "._een.md", ".#een.md", "een.md~", ".een.md.swp"):
        site.write(f"stories/achterhoek/{made_by_a_system}", "")
    site.write("stories/.concept/achterhoek/twee.md", "---\ntitle: Nog niet klaar\n---\n")
    site.write("stories/.git-notities/notitie.txt", "Alleen voor de redactie.\n")
    site.write("stories/.oud/verhaal.markdown", "---\ntitle: Oud\n---\n")
    assert site.check().lines == [
        *(
            f"stories/{folder}:1:1: error: a folder whose name starts with '.' is not read, nor are the stories in "
            "it; rename it (to hold a story back, give it 'draft: true')"
            for folder in (".concept", ".oud")
        ),
        check_summary(2, 1),
    ]


_FROM_ROOT = (
    "a picture linked from the site's root is not found when the site is published below a path; "
    "write its path from the region's folder: "
)
_IN_HTML = "a picture in HTML is not found from the story's page; show it with ![what it shows]"
_CLIMBS_OUT = (
    "a story's page is published at /verhalen/<slug>/, where a link up out of the stories' folder finds no picture; "
)


@pytest.mark.parametrize(
    ("link", "column", "told"),
    [
        (
            "![Weg](ontbreekt.jpg)",
            8,
            "there is no picture 'ontbreekt.jpg' beside the stories; put it at stories/achterhoek/ontbreekt.jpg",
        ),
        (  # an escaped ')' is part of the target (found in review)
            "![Weg](weg\\).jpg)",
            8,
            "there is no picture 'weg).jpg' beside the stories; put it at stories/achterhoek/weg).jpg",
        ),
        (  # Python-Markdown takes a target with spaces as it is
            '![Het erf](mijn erf.jpg "Het erf")',
            12,
            "there is no picture 'mijn erf.jpg' beside the stories; put it at stories/achterhoek/mijn erf.jpg",
        ),
        ('<img src="foto.png" alt="Erf">', 11, f"{_IN_HTML}(foto.png)"),
        ('<img src="/verhalen/foto.png" alt="Erf">', 11, f"{_IN_HTML}(foto.png)"),
        ("![Erf](fotos\\foto.png)", 8, "a link separates folders with '/', not '\\': write fotos/foto.png"),
        # Lost on a site published below a path (https://example.org/regioverhalen/).
        ("![Erf](/verhalen/foto.png)", 8, f"{_FROM_ROOT}foto.png"),
        ("![Weg](/verhalen/fotos/weg%20ermee.png)", 8, f"{_FROM_ROOT}<fotos/weg ermee.png>"),
        # Found on macOS and Windows, which do not tell capitals apart, and not on the web server.
        (
            "![Erf](Fotos/Foto.PNG)",
            8,
            "the picture is named stories/achterhoek/fotos/foto.png: write its name as the file has it, "
            "capitals included: fotos/foto.png",
        ),
        # Found by a red-teaming helper: found from the story's file, so `check` passed, and the
        # strict build stopped (the page is at /verhalen/een/, where it leads to /achterhoek/foto.png).
        (
            "![Erf](../achterhoek/foto.png)",
            8,
            f"{_CLIMBS_OUT}write its path from the region's folder stories/achterhoek: foto.png",
        ),
        (
            "![Erf](../../elders/foto.png)",
            8,
            f"{_CLIMBS_OUT}put the picture in the region's folder stories/achterhoek and write its path from there",
        ),
        # Found by a red-teaming helper: a file of docs/, so the rule for backslashes was passed over.
        (
            "![De kaart](..\\assets\\kaart.png)",
            13,
            "a link separates folders with '/', not '\\': write ../assets/kaart.png",
        ),
        ('<img src="../assets/kaart.png" alt="De kaart">', 11, f"{_IN_HTML}(../assets/kaart.png)"),
        # From a review: advice that gave a link which fails as well.
        (
            '<img src="../../elders/foto.png" alt="Erf">',
            11,
            f"{_CLIMBS_OUT}put the picture in the region's folder stories/achterhoek and write its path from there",
        ),
        (
            "![Kaart](../twente/kaart.png)",
            10,
            f"{_CLIMBS_OUT}write its path from the region's folder stories/twente: kaart.png",
        ),
        # From a red-teaming helper: a browser counts a link in HTML from the page, one folder deeper.
        ('<img src="../../assets/kaart.png" alt="De kaart">', 11, f"{_IN_HTML}(../assets/kaart.png)"),
        ('<img src="../foto.png" alt="Erf">', 11, f"{_IN_HTML}(foto.png)"),
        (
            "![De kaart](../../assets/kaart.png)",
            13,
            "a link is read from the story's file in the site, verhalen/<slug>.md, one folder above its page's "
            "address: write ../assets/kaart.png",
        ),
    ],
    ids=[
        "missing",
        "missing-escaped-parenthesis",
        "missing-with-spaces",
        "in-html",
        "in-html-from-root",
        "backslash",
        "from-root",
        "from-root-escaped",
        "capitals",
        "up-out-of-the-stories-and-back",
        "up-out-of-the-stories",
        "up-into-docs-with-backslashes",
        "up-into-docs-in-html",
        "up-to-nothing-in-html",
        "up-to-another-region-s-picture",
        "in-html-counted-from-the-page-to-docs",
        "in-html-counted-from-the-page-to-a-picture",
        "counted-from-the-page",
    ],
)
def test_a_picture_link_that_does_not_work_is_told_at_it_with_the_link_that_does(
    site: SiteDir, link: str, column: int, told: str
) -> None:
    _with_photo(site)
    site.write_bytes("stories/achterhoek/fotos/foto.png", PIXEL)
    site.write_bytes("docs/assets/kaart.png", PIXEL)
    site.region("twente")
    site.write_bytes("stories/twente/kaart.png", PIXEL)
    line = _append(site.root / "stories/achterhoek/een.md", f"\n{link}\n")
    assert site.check().lines == [f"stories/achterhoek/een.md:{line}:{column}: error: {told}", check_summary(1)]


def test_a_picture_of_the_site_s_own_pages_is_linked_up_out_of_the_stories_folder(site: SiteDir) -> None:
    """As MkDocs reads the link from the story's page (/verhalen/een/): `../assets/kaart.png` is a file of docs/."""
    _with_photo(site)
    site.write_bytes("docs/assets/kaart.png", PIXEL)
    _append(site.root / "stories/achterhoek/een.md", "\n![De kaart](../assets/kaart.png)\n")
    assert site.check().lines == [check_summary(0, 1)]
    page = (site.build() / "verhalen/een/index.html").read_text(encoding="utf-8")
    assert 'src="../../assets/kaart.png"' in page


def test_a_picture_linked_up_into_the_stories_folder_again_is_found_as_mkdocs_finds_it(site: SiteDir) -> None:
    """Found by a red-teaming helper: `../verhalen/foto.png` works from the story's page, and was refused."""
    _with_photo(site, "foto.png")
    _append(site.root / "stories/achterhoek/een.md", "\n![Nog eens](../verhalen/foto.png)\n")
    assert site.check().lines == [check_summary(0, 1)]
    assert (site.build() / "verhalen/foto.png").is_file()


def test_a_story_in_a_subfolder_linking_up_to_its_region_s_picture_is_told_the_link_that_works(
    site: SiteDir,
) -> None:
    """Found by a red-teaming helper: right from the story's file, and not from its page."""
    story = _story_in_subfolder(site)
    site.write_bytes("stories/achterhoek/foto.png", PIXEL)
    line = _append(story, "\n![Erf](../foto.png)\n")
    assert site.check().lines == [
        f"stories/achterhoek/2024/een.md:{line}:8: error: {_CLIMBS_OUT}write its path from the region's folder "
        "stories/achterhoek: foto.png",
        check_summary(1),
    ]


@pytest.mark.parametrize(
    ("name", "column", "told"),
    [
        (
            "café met één stoel.png",
            14,
            "the picture stories/achterhoek/{stored} has the name in the link, written in other Unicode characters "
            "(a letter and its accent stored apart, as macOS may store them): rename the file, typing its name anew",
        ),
        (
            "Café.png",
            13,
            "the picture is named stories/achterhoek/{stored}, with other capitals than the link and a letter and "
            "its accent stored apart (as macOS may store them): rename the file, typing its name anew, and write it "
            "in the link as you typed it",
        ),
    ],
    ids=["same-name", "other-capitals"],
)
def test_a_picture_whose_name_is_stored_with_accents_apart_is_told_to_be_renamed(
    site: SiteDir, name: str, column: int, told: str
) -> None:
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    # As a folder unpacked from an archive made on a Mac may hold it: the e and its accent apart.
    stored_apart = unicodedata.normalize("NFD", name)
    site.write_bytes(f"stories/achterhoek/{stored_apart}", PIXEL)
    linked = name.lower() if column == 13 else f"<{name}>"
    line = _append(story, f"\n![Het café]({linked})\n")
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line}:{column}: error: {told.format(stored=stored_apart)}",
        check_summary(1),
    ]
    typed_anew = linked.strip("<>")
    (site.root / f"stories/achterhoek/{stored_apart}").rename(site.root / f"stories/achterhoek/{typed_anew}")
    assert site.check().lines == [check_summary(0, 1)]
    assert (site.build() / f"verhalen/{typed_anew}").is_file()


def test_a_link_whose_name_is_stored_in_other_unicode_characters_than_the_picture_is_told_to_be_typed_anew(
    site: SiteDir,
) -> None:
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    site.write_bytes("stories/achterhoek/café met één stoel.png", PIXEL)
    # As a name copied from a Mac's file window may be pasted: the e and its accent apart.
    pasted = unicodedata.normalize("NFD", "café met één stoel.png")
    text = story.read_text(encoding="utf-8")
    line = _append(story, f"\n![Het café](<{pasted}>)\n")
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line}:14: error: the link writes the name of the picture "
        "stories/achterhoek/café met één stoel.png in other Unicode characters (a letter and its accent stored "
        "apart, as macOS may store them): type the link anew: <café met één stoel.png>",
        check_summary(1),
    ]
    story.write_text(text + "\n![Het café](<café met één stoel.png>)\n", encoding="utf-8")
    assert site.check().lines == [check_summary(0, 1)]


@pytest.mark.parametrize(
    ("name", "link", "write"),
    [
        ("Erf #1.png", "<erf %231.png>", "<Erf %231.png>"),
        ("Foto%20a.png", "foto%2520a.png", "Foto%2520a.png"),
        ("Poel (2).png", "<poel (2).png>", "<Poel (2).png>"),
        # Python-Markdown trims a target's ends, and a backtick starts code.
        (" Erf.png", "%20erf.png", "%20Erf.png"),
        ("a`b`.png", "A%60B%60.png", "a%60b%60.png"),
        # Braces would be read as an attribute list.
        ("a{b}.png", "A%7BB%7D.png", "a%7Bb%7D.png"),
    ],
    ids=["hash", "percent", "parentheses", "leading-space", "backticks", "braces"],
)
def test_the_link_a_message_gives_leads_to_the_picture(site: SiteDir, name: str, link: str, write: str) -> None:
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    site.write_bytes(f"stories/achterhoek/{name}", PIXEL)
    text = story.read_text(encoding="utf-8")
    line = _append(story, f"\n![Het erf]({link})\n")
    column = 13 if link.startswith("<") else 12  # the target, inside its angle brackets
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line}:{column}: error: the picture is named stories/achterhoek/{name}: write its "
        f"name as the file has it, capitals included: {write}",
        check_summary(1),
    ]
    story.write_text(text + f"\n![Het erf]({write})\n", encoding="utf-8")
    assert site.check().lines == [check_summary(0, 1)]
    assert (site.build() / "verhalen" / name).is_file()  # MkDocs reads the link as `check` does


def test_a_name_that_differs_in_more_than_capitals_is_not_taken_for_the_picture(site: SiteDir) -> None:
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    site.write_bytes("stories/achterhoek/strasse.png", PIXEL)
    line = _append(story, "\n![Straat](Straße.png)\n")
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line}:11: error: there is no picture 'Straße.png' beside the stories; "
        "put it at stories/achterhoek/Straße.png",
        check_summary(1),
    ]


def test_a_story_in_a_subfolder_finds_pictures_from_its_regions_folder_and_is_told_so(site: SiteDir) -> None:
    moved = _story_in_subfolder(site)
    site.write_bytes("stories/achterhoek/2024/erf.png", PIXEL)
    text = moved.read_text(encoding="utf-8")
    line = _append(moved, "\n![Erf](erf.png)\n\n![Weg](weg.png)\n\n![Erf](/verhalen/erf.png)\n")
    assert site.check().lines == [
        f"stories/achterhoek/2024/een.md:{line}:8: error: a picture is found from the region's folder "
        "stories/achterhoek, not from the story's: write 2024/erf.png",
        f"stories/achterhoek/2024/een.md:{line + 2}:8: error: there is no picture 'weg.png' beside the stories; "
        "put it at stories/achterhoek/weg.png",
        f"stories/achterhoek/2024/een.md:{line + 4}:8: error: a picture linked from the site's root is not found "
        "when the site is published below a path; write its path from the region's folder: 2024/erf.png",
        check_summary(3),
    ]
    moved.write_text(text + "\n![Erf](2024/erf.png)\n", encoding="utf-8")
    assert site.check().lines == [check_summary(0, 1)]
    assert (site.build() / "verhalen/2024/erf.png").is_file()


def test_a_picture_linked_with_the_site_s_own_path_is_told_to_be_linked_from_the_region_s_folder(
    site: SiteDir,
) -> None:
    """On a site published below a path, a link from the site's root that holds that path works
    until the site moves: it is an error at the link with the link that works, as a link from
    the root without the path is."""
    _with_photo(site)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_url: https://test.example.org/", "site_url: https://voorbeeld.github.io/regio%20verhalen/"
        ),
        encoding="utf-8",
    )
    story = site.root / "stories/achterhoek/een.md"
    text = story.read_text(encoding="utf-8")
    line = _append(
        story,
        "\n![Erf](/regio%20verhalen/verhalen/foto.png)\n\n![Erf](/verhalen/foto.png)\n\n"
        "![Erf](/anders/verhalen/foto.png)\n",
    )
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line}:8: error: a picture linked with the site's own address is lost when "
        "the site moves to another address; write its path from the region's folder: foto.png",
        f"stories/achterhoek/een.md:{line + 2}:8: error: {_FROM_ROOT}foto.png",
        check_summary(2),
    ]
    story.write_text(text, encoding="utf-8")
    assert site.check().lines == [check_summary(0, 1)]


def test_pictures_are_published_whichever_way_the_stories_folder_is_written(site: SiteDir) -> None:
    _with_photo(site)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - regioverhalen\n", "  - regioverhalen:\n      stories_dir: ./stories/\n")
    )
    assert (site.build() / "verhalen" / "foto.png").is_file()


@pytest.mark.parametrize(
    ("markdown", "shown", "hidden"),
    [
        (
            '[![Klein](klein.png)](groot.png) en ![Kopie](foto(1).png "titel") en ![Spatie](met%20spatie.png)\n'
            "\n![Verwezen][v]\n\n[v]: ./verwezen.png\n\n![Spaties](mijn erf.png 'Het erf')\n"
            "\n![Haakje](haakje\\).png)\n",
            ("foto(1).png", "groot.png", "haakje).png", "klein.png", "met spatie.png", "mijn erf.png", "verwezen.png"),
            (),
        ),
        ("![Volgende](\nvolgende-regel.png\n)\n", ("volgende-regel.png",), ()),
        (
            "Niet te zien: `![x](in-code.png)` <!-- ![nog geen toestemming](weg.png) -->\n"
            "\nCode:\n\n    ![x](ingesprongen.png)\n\nTekst \\[x\\](ontsnapt.png) na.\n"
            "\n[ongebruikt]: ongebruikt.png\n\n<div>\n![x](in-html-blok.png)\n</div>\n",
            (),
            ("in-code.png", "weg.png", "ingesprongen.png", "ontsnapt.png", "ongebruikt.png", "in-html-blok.png"),
        ),
        (
            # As Python-Markdown reads comments: one that starts a line hides up to its end, blank
            # lines too; one within a line ends in its paragraph; one left open is shown as text.
            "Binnen een regel <!-- over een lege regel\n\n![x](na-open-in-regel.png)\n\n-->\n"
            "\n<!-- een blok\n\n![x](in-blok.png)\n\n-->\n"
            "\nEen noot <!-- noot --!> ![x](na-noot.png) -->.\n"
            "\n> In een citaat <!-- noot\n>\n> ![x](na-citaatregel.png)\n>\n> -->\n"
            "\n<!-- nooit gesloten\n\n![x](na-open-blok.png)\n",
            ("na-citaatregel.png", "na-noot.png", "na-open-blok.png", "na-open-in-regel.png"),
            ("in-blok.png",),
        ),
    ],
    ids=["link-forms", "broken-over-lines", "seen-by-no-reader", "comments"],
)
def test_a_picture_is_written_when_the_page_shows_it_and_only_then(
    site: SiteDir, markdown: str, shown: tuple[str, ...], hidden: tuple[str, ...]
) -> None:
    """What counts is the story's page as a reader gets it, however the Markdown says it."""
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    for name in shown + hidden:
        site.write_bytes(f"stories/achterhoek/{name}", PIXEL)
    story.write_text(story.read_text(encoding="utf-8") + "\n" + markdown, encoding="utf-8")
    built = site.build()
    assert sorted(path.name for path in (built / "verhalen").glob("*.png")) == sorted(shown)


def test_a_missing_picture_after_a_comment_left_open_is_an_error_at_it(site: SiteDir) -> None:
    """The page shows a comment left open as text, and what follows it, as it does after a comment
    within a line that ends only after its paragraph (found in review: `check` read both as
    hiding what followed, and passed pictures the build then missed). A browser ends a comment
    at `<!-->` and at `--!>`, a quote's paragraph ends at a line of `>`, and a heading with its line
    (found in review too)."""
    site.region("achterhoek")
    site.story("een", "achterhoek")
    line = _append(
        site.root / "stories/achterhoek/een.md",
        "\nDe stal <!-- nog uitzoeken\n\nHet erf: ![Het erf](erf.jpg)\n\n-->\n"
        "\nLeeg <!--> ![Hek](hek.jpg) -->, en <!-- noot --!> ![Wei](wei.jpg) -->.\n"
        "\n> In een citaat <!-- noot\n>\n> ![Kas](kas.jpg)\n>\n> -->\n"
        "\n## Een kop <!-- noot\n![Dak](dak.jpg) -->\n"
        "\n<!-- nog uitzoeken\n\nDe schuur: ![De schuur](schuur.jpg)\n",
    )
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line + 2}:21: error: there is no picture 'erf.jpg' beside the stories; "
        "put it at stories/achterhoek/erf.jpg",
        f"stories/achterhoek/een.md:{line + 6}:19: error: there is no picture 'hek.jpg' beside the stories; "
        "put it at stories/achterhoek/hek.jpg",
        f"stories/achterhoek/een.md:{line + 6}:58: error: there is no picture 'wei.jpg' beside the stories; "
        "put it at stories/achterhoek/wei.jpg",
        f"stories/achterhoek/een.md:{line + 10}:10: error: there is no picture 'kas.jpg' beside the stories; "
        "put it at stories/achterhoek/kas.jpg",
        f"stories/achterhoek/een.md:{line + 15}:8: error: there is no picture 'dak.jpg' beside the stories; "
        "put it at stories/achterhoek/dak.jpg",
        f"stories/achterhoek/een.md:{line + 19}:25: error: there is no picture 'schuur.jpg' beside the stories; "
        "put it at stories/achterhoek/schuur.jpg",
        check_summary(6),
    ]


def test_a_picture_without_a_file_is_an_error_at_it(site: SiteDir) -> None:
    """`![leeg]()` made an image of nothing on the page (found by a new-user red team)."""
    site.region("achterhoek")
    site.story("een", "achterhoek")
    line = _append(site.root / "stories/achterhoek/een.md", "\nHet erf: ![Het erf]( ), en `![zo]()` in code.\n")
    assert site.check().lines == [
        f"stories/achterhoek/een.md:{line}:10: error: this picture has no file: write the picture's name between "
        "the brackets: ![what it shows](photo.jpg)",
        check_summary(1),
    ]


def test_a_missing_picture_no_reader_would_see_is_not_an_error_and_one_in_a_list_item_s_text_is(
    site: SiteDir,
) -> None:
    """As Python-Markdown reads it: indented code, an escaped bracket and a reference definition no
    reference uses show nothing; text indented under a list item is the item's text."""
    site.region("achterhoek")
    story = site.root / "stories/achterhoek/een.md"
    site.story("een", "achterhoek")
    line = _append(
        story,
        "\nCode:\n\n    ![x](ingesprongen.png)\n\nTekst \\[x\\](ontsnapt.png) en x](zonder-begin.png).\n"
        "\n[ongebruikt]: ongebruikt.png\n\n- Een punt.\n\n    ![x](onder-punt.png)\n"
        # A note (as the starter's story opens), a details block and a tab: their text is indented too.
        '\n!!! note "Voorbeeld"\n\n    ![x](in-noot.png)\n\n??? note "Meer"\n\n    ![x](in-details.png)\n',
    )
    missing = [(10, "onder-punt.png"), (14, "in-noot.png"), (18, "in-details.png")]
    assert site.check().lines == [
        *(
            f"stories/achterhoek/een.md:{line + offset}:10: error: there is no picture '{name}' beside the "
            f"stories; put it at stories/achterhoek/{name}"
            for offset, name in missing
        ),
        check_summary(3),
    ]


def test_colours_a_palette_holds_but_no_pixel_shows_are_not_published(site: SiteDir) -> None:
    secret = b"Geheime Boer Achterhoek"
    palette = [channel for index in range(256) for channel in (index, index * 3 % 256, index * 7 % 256)]
    palette[220 * 3 : 220 * 3 + len(secret)] = list(secret)  # an entry no pixel uses
    picture = Image.new("P", (20, 10))
    picture.putpalette(palette)
    picture.putdata([index % 200 for index in range(200)])
    out = io.BytesIO()
    picture.save(out, "GIF")
    _with_photo(site, name="kleuren.gif", picture=out.getvalue())
    published = (site.build() / "verhalen" / "kleuren.gif").read_bytes()
    assert secret not in published
    with Image.open(io.BytesIO(published)) as cleaned:
        assert sorted(cleaned.convert("RGB").getcolors(256) or []) == sorted(
            picture.convert("RGB").getcolors(256) or []
        )


def test_cleaned_copies_unused_for_long_leave_the_cache_once_a_load_adds_one(
    site: SiteDir, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    folder = images.cache_folder()
    _with_photo(site)
    assert site.check().lines == [check_summary(0, 1)]
    (used,) = folder.iterdir()
    stale = folder / ("0" * 64 + ".png")  # as a picture since replaced left it
    stale.write_bytes(PIXEL)
    old_enough = time.time() - images.UNUSED_FOR_SECONDS - 60
    for copy in (used, stale):
        os.utime(copy, (old_enough, old_enough))
    monkeypatch.setattr(images, "_FOUND", {})  # a new process, which remembers no picture
    assert site.check().lines == [check_summary(0, 1)]
    assert set(folder.iterdir()) == {used, stale}  # nothing added: nothing cleaned out
    site.write_bytes("stories/achterhoek/erf.png", PIXEL + b"\0")  # other bytes: cleaned anew
    _show(site, "een", "erf.png")
    assert site.check().lines == [check_summary(0, 1)]
    added = {path.name for path in folder.iterdir()} - {used.name}
    assert len(added) == 1 and not stale.exists() and used.exists()  # used again, so kept


def test_a_cleaned_copy_removed_by_another_process_is_made_again(
    site: SiteDir, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    _with_photo(site)
    assert site.check().lines == [check_summary(0, 1)]
    (copy,) = images.cache_folder().iterdir()
    copy.unlink()
    monkeypatch.setattr(images, "_FOUND", {})
    assert (site.build() / "verhalen" / "foto.png").is_file()
    assert copy.is_file()


def test_pictures_are_told_at_the_same_paths_with_the_stories_folder_written_in_full(
    site: SiteDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = _story_in_subfolder(site)
    moved.write_text(moved.read_text(encoding="utf-8") + "\n![Erf](erf.png)\n", encoding="utf-8")
    site.write_bytes("stories/achterhoek/2024/erf.png", PIXEL)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - regioverhalen\n", f"  - regioverhalen:\n      stories_dir: {site.root}/stories\n"
        )
    )
    monkeypatch.chdir("/")  # not the site's folder: no path may depend on where the command runs
    capsys.readouterr()
    assert main(["check", "-f", str(config)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"stories/achterhoek/2024/een.md:{len(moved.read_text().splitlines())}:8: error: a picture is found from "
        "the region's folder stories/achterhoek, not from the story's: write 2024/erf.png"
    )


def test_markdown_escapes_in_a_link_are_read_as_markdown_reads_them(site: SiteDir) -> None:
    _with_photo(site, name="foto(1).png")
    story = site.root / "stories/achterhoek/een.md"
    text = story.read_text(encoding="utf-8").replace("](foto(1).png)", "](foto\\(1\\).png)")
    story.write_text(text + "\n![Kapot](//[x/a.png)\n", encoding="utf-8")  # no address at all: not a picture here
    lines = site.check().lines
    assert lines[0].startswith(f"stories/achterhoek/een.md:{len(text.splitlines()) + 2}:10: error: remote images are")
    assert lines[1:] == [check_summary(1, 0)]
    story.write_text(text, encoding="utf-8")
    assert (site.build() / "verhalen" / "foto(1).png").is_file()


def test_a_link_target_in_angle_brackets_does_not_reach_over_a_line(site: SiteDir) -> None:
    """Markdown reads no link there: nor does `check`, whose message would otherwise hold the line
    break and print as two lines, the second whatever the story says."""
    _with_photo(site)
    _append(site.root / "stories/achterhoek/een.md", "\n![x](<ont\nstories/nep.md:1:1: error: nep.png>)\n")
    assert site.check().lines == [check_summary(0, 1)]


def test_a_picture_whose_name_holds_a_backslash_is_told_to_be_renamed(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    site.write_bytes("stories/achterhoek/erf\\oud.png", PIXEL)
    assert site.check().lines == [
        "stories/achterhoek/erf\\oud.png:1:1: error: a picture's name holds '\\', which a link reads as '/'; rename it",
        check_summary(1, 1),
    ]


def test_a_link_from_the_root_to_another_site_s_picture_is_left_to_it(site: SiteDir) -> None:
    _with_photo(site)
    _append(site.root / "stories/achterhoek/een.md", "\n![Elders](/andere-site/verhalen/kaart.png)\n")
    assert site.check().lines == [check_summary(0, 1)]
    page = (site.build() / "verhalen/een/index.html").read_text(encoding="utf-8")
    assert '<img alt="Elders" src="/andere-site/verhalen/kaart.png">' in page


def _large(kind: str, size: tuple[int, int], **options: bool) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(out, kind, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("size", "published"),
    [((8160, 6120), (2000, 1500)), ((16000, 3000), (2000, 375))],
    ids=["phone", "panorama"],
)
def test_a_50_megapixel_photo_is_published_scaled_down(
    site: SiteDir, size: tuple[int, int], published: tuple[int, int]
) -> None:
    # Read at a quarter or an eighth of its size, as a JPEG can be: never decoded whole.
    _with_photo(site, "erf.jpg", _large("JPEG", size))
    assert site.check().lines == [check_summary(0, 1)]
    with Image.open(site.build() / "verhalen" / "erf.jpg") as picture:
        assert (picture.format, picture.size) == ("JPEG", published)


@pytest.mark.parametrize(
    ("name", "kind", "size", "progressive"),
    [
        ("kaart.png", "PNG", (6400, 6400), False),
        # Decoded, a progressive JPEG keeps its whole picture's coefficients.
        ("erf.jpg", "JPEG", (8160, 6120), True),
    ],
    ids=["png", "progressive-jpeg"],
)
def test_a_picture_of_more_than_40_megapixels_that_cannot_be_read_scaled_down_is_refused(
    site: SiteDir, name: str, kind: str, size: tuple[int, int], progressive: bool
) -> None:
    # Made here, not at collection: every worker collects every test.
    _with_photo(site, name, _large(kind, size, progressive=progressive))
    assert site.check().lines == [
        f"stories/achterhoek/{name}:1:1: error: the picture is larger than 40 million pixels, its frames "
        "together; make it smaller",
        check_summary(1, 1),
    ]
