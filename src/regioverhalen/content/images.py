"""The images beside the stories, as they are published: decoded and encoded again from their
pixels alone, so that nothing a camera, a phone or an editing program wrote into the file (the
author, the place, a comment, a thumbnail, a colour profile's description) reaches a reader.
A text scan cannot read what such a file holds compressed or encoded in many ways; the
published file simply holds none of it. What the picture itself shows is beyond any check.

The cleaned files are kept by the hash of the original in `.cache/regioverhalen/images/`
under the site's root, so `check`, the build and the preview encode each image once.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regioverhalen.content.messages import _

if TYPE_CHECKING:
    from PIL import Image

#: The picture formats published beside the stories, by file extension. Not SVG: it can hold
#: scripts and text; not PDF: it can hold both too.
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
CACHE_FOLDER = Path(".cache", "regioverhalen", "images")
#: Larger pictures are refused: decoding one takes the memory of its pixels.
MAX_PIXELS = 40_000_000
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}}
#: Changed whenever the cleaning changes, so that no file cleaned the old way is used again.
_CLEANING = b"regioverhalen-images-1"


class ImageError(Exception):
    """An image that cannot be published: not a picture of its kind, or too large."""


def published_image(path: Path, root: Path) -> Path:
    """The cleaned copy of the image at `path` that the site publishes, made if it is not there
    yet. Raises ImageError for a file that is no picture of the kind its name says."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    key = hashlib.sha256(_CLEANING + _pillow_version().encode() + suffix.encode() + data).hexdigest()
    target = root / CACHE_FOLDER / f"{key}{suffix}"
    if not target.is_file():
        cleaned = clean_image(data, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written whole or not at all: a check and a build may clean the same image at once.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(cleaned)
        os.replace(temporary, target)
    return target


def clean_image(data: bytes, suffix: str) -> bytes:
    """The picture in `data` encoded again, in the format its extension names, from its pixels
    alone (turned upright first, as its orientation tag said, since the tag goes)."""
    from PIL import Image, UnidentifiedImageError

    expected = IMAGE_FORMATS[suffix]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    message = _(
                        "the file is a {found} picture, not a {expected} as its name says; save it as {expected}"
                    )
                    raise ImageError(message.format(found=image.format or "?", expected=expected))
                if image.width * image.height > MAX_PIXELS:
                    message = _("the picture is larger than {limit} million pixels; make it smaller")
                    raise ImageError(message.format(limit=MAX_PIXELS // 1_000_000))
                return _encoded(image, expected)
    except UnidentifiedImageError:
        raise ImageError(_("the file is not a picture that can be read; save it again as a picture")) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        message = _("the picture is larger than {limit} million pixels; make it smaller")
        raise ImageError(message.format(limit=MAX_PIXELS // 1_000_000)) from None
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # Pillow's errors for a damaged file
        raise ImageError(_("the file cannot be read as a picture ({error})").format(error=error)) from None


def _encoded(image: Image.Image, kind: str) -> bytes:
    """Each frame's pixels in a new image, which has no info, profile, text or metadata of any kind."""
    from PIL import Image, ImageOps, ImageSequence

    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(int(frame.info.get("duration", 100)))
        upright = ImageOps.exif_transpose(frame)
        transparency = upright.info.get("transparency") if kind == "GIF" and upright.mode == "P" else None
        pixels = upright if kind == "GIF" and upright.mode == "P" else upright.convert(_mode_for(upright.mode, kind))
        clean = Image.new(pixels.mode, pixels.size)
        if pixels.mode == "P":
            clean.putpalette(pixels.getpalette() or [])
        clean.paste(pixels)
        if isinstance(transparency, int):  # which palette entry is see-through: a number, no text
            clean.info["transparency"] = transparency
        frames.append(clean)
    options: dict[str, Any] = dict(_SAVE_OPTIONS.get(kind, {}))
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations, loop=int(image.info.get("loop", 0)))
    out = io.BytesIO()
    frames[0].save(out, kind, **options)
    return out.getvalue()


def _mode_for(mode: str, kind: str) -> str:
    """A pixel mode the format stores as it is."""
    if kind == "JPEG":
        return "L" if mode in ("1", "L") else "RGB"
    return mode if mode in ("L", "LA", "RGB", "RGBA") else "RGBA"


def _pillow_version() -> str:
    from PIL import __version__

    return __version__
