"""Images and PDFs beside the stories: published with them, where a story's relative link finds
them, checked for names like every published file; anything else in the stories' folder is told."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import SiteDir, check_summary

#: The smallest PNG a browser shows: one transparent pixel.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)
CONSENT = "names participant 'achterhoek-boer', who has not consented (public: true); describe them by role instead"


def _with_photo(site: SiteDir, name: str = "foto.png") -> None:
    site.region("achterhoek")
    story = site.story("een", "achterhoek")
    story.write_text(story.read_text(encoding="utf-8") + f"\n![Het erf]({name})\n", encoding="utf-8")
    site.write_bytes(f"stories/achterhoek/{name}", PIXEL)


def test_an_image_beside_a_story_is_published_where_the_story_links_to_it(site: SiteDir) -> None:
    _with_photo(site)
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    built = site.build()  # --strict: MkDocs finds the link's target
    assert (built / "verhalen" / "foto.png").read_bytes() == PIXEL
    page = BeautifulSoup((built / "verhalen" / "een" / "index.html").read_text(encoding="utf-8"), "html.parser")
    image = page.select_one("article img[alt='Het erf']")
    assert image is not None and image["src"] == "../foto.png"  # from /verhalen/een/ to /verhalen/foto.png


def test_the_export_publishes_it_in_the_same_place(site: SiteDir) -> None:
    _with_photo(site)
    exported = site.command("export", str(site.root / "uit"))
    assert exported.code == 0, exported.err
    assert (site.root / "uit" / "docs" / "verhalen" / "foto.png").read_bytes() == PIXEL


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
        "stories/de-peel/Foto.png:1:1: error: the file name 'Foto.png' is already used by stories/achterhoek/foto.png: "
        "what stands beside the stories is published under its name alone; rename one of them",
        check_summary(1, 1),
    ]


NOT_A_STORY = (
    "not a story, nor an image or PDF to publish beside the stories (.jpg, .jpeg, .png, .gif, .webp, .avif, .pdf); "
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
        ("kaart.svg", NOT_A_STORY),  # it could hold a script: not published from here
        ("FOTO.JPG", "file extension must be lowercase '.jpg'"),
        (".vijfde.md", "a file whose name starts with '.' is not read; rename it"),
    ],
)
def test_no_other_file_in_the_stories_folder_is_passed_over_unseen(site: SiteDir, name: str, message: str) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    site.write(f"stories/achterhoek/{name}", (site.root / "stories/achterhoek/een.md").read_text(encoding="utf-8"))
    assert site.check().lines == [f"stories/achterhoek/{name}:1:1: error: {message}", check_summary(1, 1)]


def test_stories_in_a_hidden_folder_are_told_and_other_hidden_files_left_alone(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    site.write("stories/achterhoek/.gitkeep", "")
    site.write("stories/.concept/achterhoek/twee.md", "---\ntitle: Nog niet klaar\n---\n")
    site.write("stories/.git-notities/notitie.txt", "Alleen voor de redactie.\n")
    assert site.check().lines == [
        "stories/.concept:1:1: error: a folder whose name starts with '.' is not read, nor are the stories in it; "
        "rename it (to hold a story back, give it 'draft: true')",
        check_summary(1, 1),
    ]
