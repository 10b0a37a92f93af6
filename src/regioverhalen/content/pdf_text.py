"""The text of a published PDF, page by page, as a PDF viewer shows it and a search engine
indexes it: a PDF keeps its text compressed, so its bytes show no name."""

from __future__ import annotations

import io

PDF_MAGIC = b"%PDF-"


class UnreadablePdf(Exception):
    """A PDF whose text cannot be had: damaged, or locked with a password."""


def is_pdf(data: bytes) -> bool:
    return data.startswith(PDF_MAGIC)


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text. Raises UnreadablePdf."""
    import pypdf  # only for a site that publishes a PDF

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # a password only for changes opens as it is
            raise UnreadablePdf("locked with a password")
        return [page.extract_text() or "" for page in reader.pages]
    except UnreadablePdf:
        raise
    except Exception as error:  # pypdf raises many kinds for a damaged file
        raise UnreadablePdf(str(error) or type(error).__name__) from None
