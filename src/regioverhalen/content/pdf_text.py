"""The text of a published PDF, page by page, as a PDF viewer shows it and a search engine
indexes it: a PDF keeps its page text compressed, so its bytes do not show a name there. Its
bytes are read as well (metadata, annotations and form values are often written plainly)."""

from __future__ import annotations

import io
import logging

PDF_MAGIC = b"%PDF-"
#: Viewers accept the header anywhere in a file's first kilobyte.
HEADER_WITHIN = 1024
#: The most page content read for text: a small file can make pages of a shared stream of
#: megabytes, whose reading takes minutes. A PDF with more is refused at the source.
MAX_CONTENT_BYTES = 8_000_000


class UnreadablePdf(Exception):
    """A PDF whose text cannot be had: damaged, locked with a password, or too large to read."""


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:HEADER_WITHIN]


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text. Raises UnreadablePdf."""
    import pypdf  # only for a site that publishes a PDF

    quiet = logging.getLogger("pypdf")
    was_disabled, quiet.disabled = quiet.disabled, True  # its repairs of odd files are no news to an editor
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # a password only for changes opens as it is
            raise UnreadablePdf("locked with a password")
        content = 0
        for page in reader.pages:
            stream = page.get_contents()
            content += len(stream.get_data()) if stream is not None else 0
            if content > MAX_CONTENT_BYTES:
                raise UnreadablePdf("more page content than can be read")
        return [page.extract_text() or "" for page in reader.pages]
    except UnreadablePdf:
        raise
    except Exception as error:  # pypdf raises many kinds for a damaged file
        raise UnreadablePdf(str(error) or type(error).__name__) from None
    finally:
        quiet.disabled = was_disabled
