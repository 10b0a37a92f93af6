"""The pictures beside the stories, as they are published: decoded and encoded again from their
pixels alone, so that nothing a camera, a phone or an editing program wrote into the file (the
author, the place, a comment, a thumbnail, a colour profile's description) reaches a reader.
A text scan cannot read what such a file holds compressed or encoded in many ways; the
published file simply holds none of it. What the picture itself shows is beyond any check.

The cleaned files are kept by the hash of the original in the user's cache folder, outside
the site: a file committed to the site's repository can never pass for a cleaned one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regioverhalen.content.messages import _

if TYPE_CHECKING:
    from PIL import Image

#: The picture formats published beside the stories, by file extension, with the kinds Pillow
#: reads them as (a JPEG with more pictures in it, as many cameras and phones write, is an MPO;
#: its first picture is published). Not SVG: it can hold scripts and text; not PDF: it can too.
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
_READ_AS = {"JPEG": ("JPEG", "MPO"), "PNG": ("PNG",), "GIF": ("GIF",), "WEBP": ("WEBP",)}
#: Larger pictures are refused: decoding takes the memory of their pixels, every frame's. A
#: JPEG that is not progressive counts as it is decoded, scaled down by a power of two towards
#: MAX_SIDE (a phone's 50-megapixel photo is read at a quarter of its size); Pillow refuses
#: pictures of more than about 89 million pixels before anything is decoded.
MAX_PIXELS = 40_000_000
MAX_FRAMES = 500
#: The longest side of a published picture, in pixels: a larger one is scaled down to it.
MAX_SIDE = 2000
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
}
#: Changed whenever the cleaning changes, so that no file cleaned the old way is used again.
_CLEANING = b"regioverhalen-images-6"
#: A cleaned copy no check or build has used for this long is removed from the cache once a
#: load has added a new one: pictures since replaced or deleted, or cleaned by an older version.
UNUSED_FOR_SECONDS = 60 * 24 * 3600


class ImageError(Exception):
    """A picture that cannot be published: not a picture of its kind, or too large."""


def cache_folder() -> Path:
    """Where cleaned pictures are kept: the user's cache folder (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "regioverhalen", "images")


#: Cleaned copies already found in this process, by the original's path, size and change time:
#: a live preview loads the content again on every save, and need not read every picture again.
_FOUND: dict[tuple[str, int, int], Path] = {}
#: Whether this process has added a cleaned copy since the cache was last cleaned out.
_added_copy = False


def published_image(path: Path) -> Path:
    """The cleaned copy of the picture at `path` that the site publishes, made if it is not there
    yet. Raises ImageError for a file that is no picture of the kind its name says."""
    status = path.stat()
    seen = (str(path), status.st_size, status.st_mtime_ns)
    found = _FOUND.get(seen)
    if found is not None and found.is_file():
        return found
    _FOUND[seen] = target = _cleaned_copy(path)
    return target


def _cleaned_copy(path: Path) -> Path:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    key = hashlib.sha256(_CLEANING + _pillow_version().encode() + suffix.encode() + data).hexdigest()
    target = cache_folder() / f"{key}{suffix}"
    try:
        os.utime(target)  # used now: the clean-out keeps it
        return target
    except FileNotFoundError:  # not made yet, or removed by another process's clean-out just now
        pass
    except OSError:  # a cache we may not write to still serves what it holds
        if target.is_file():
            return target
    cleaned = clean_image(data, suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    global _added_copy
    _added_copy = True
    # Written whole or not at all: a check and a build may clean the same picture at once.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(cleaned)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return target


def remove_unused_copies() -> None:
    """After a load has found every picture it uses (each marked used, by its modification
    time), and only if it added a copy: remove the copies unused for `UNUSED_FOR_SECONDS`."""
    global _added_copy
    if not _added_copy:
        return
    _added_copy = False
    too_old = time.time() - UNUSED_FOR_SECONDS
    with contextlib.suppress(OSError), os.scandir(cache_folder()) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < too_old:
                    os.unlink(entry.path)


def clean_image(data: bytes, suffix: str) -> bytes:
    """The picture in `data` encoded again, in the format its extension names, from its pixels
    alone (turned upright first, as its orientation tag said, and in sRGB, as its colour profile
    said, since tag and profile go)."""
    from PIL import Image, UnidentifiedImageError

    expected = IMAGE_FORMATS[suffix]
    unreadable = _("the file is not a picture that can be read; save it again as a picture")
    too_large = _("the picture is larger than {limit} million pixels, its frames together; make it smaller").format(
        limit=MAX_PIXELS // 1_000_000
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in _READ_AS[expected]:
                    message = _(
                        "the file is a {found} picture, not a {expected} as its name says; save it as {expected}"
                    )
                    raise ImageError(message.format(found=image.format or "?", expected=expected))
                frames = 1 if image.format == "MPO" else getattr(image, "n_frames", 1)
                width, height = image.size
                # A progressive JPEG keeps its whole picture's coefficients while it is decoded.
                if image.format in ("JPEG", "MPO") and not image.info.get("progressive"):
                    scale = MAX_SIDE / max(width, height)  # decoded smaller, still not below MAX_SIDE
                    image.draft(image.mode, (max(1, round(width * scale)), max(1, round(height * scale))))
                    width, height = image.size
                if frames > MAX_FRAMES or width * height * frames > MAX_PIXELS:
                    raise ImageError(too_large)
                single = image.format == "MPO" or (frames == 1 and not image.info.get("default_image"))
                return _encoded(image, expected, single=single)
    except UnidentifiedImageError:
        raise ImageError(unreadable) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
        raise ImageError(too_large) from None
    except (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError):  # a damaged file, by Pillow's errors
        raise ImageError(unreadable) from None


def _encoded(image: Image.Image, kind: str, *, single: bool) -> bytes:
    """Each frame's pixels in a new image, which has no info, profile, text or metadata of any kind."""
    from PIL import ImageSequence

    # One picture is encoded as opened (a JPEG at the scale it is decoded at), without moving to a frame.
    pictures = [image] if single else ImageSequence.Iterator(image)
    frames, durations = [], []
    skip_first = bool(image.info.get("default_image"))  # an APNG's picture for programs without animation
    for index, frame in enumerate(pictures):
        if index == 0 and skip_first:
            continue
        durations.append(int(frame.info.get("duration", 100)))
        frames.append(_clean_frame(frame, kind))
    options: dict[str, Any] = dict(_SAVE_OPTIONS.get(kind, {}))
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations)
        if "loop" in image.info:  # without it the animation plays once
            options["loop"] = int(image.info["loop"])
    out = io.BytesIO()
    frames[0].save(out, kind, **options)
    return out.getvalue()


def _clean_frame(frame: Image.Image, kind: str) -> Image.Image:
    from PIL import Image, ImageOps

    with contextlib.suppress(Exception):  # a damaged orientation tag: published as it is stored
        frame = ImageOps.exif_transpose(frame)
    frame = _in_srgb(frame)
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16 bits of grey: scaled to 8
        frame = frame.point(lambda value: value / 256).convert("L")
    if frame.info.get("transparency") is not None:
        frame = frame.convert("RGBA")  # a see-through colour becomes see-through pixels
    # No palette is copied: one can hold colours no pixel uses, and so anything. A GIF's palette
    # is made anew from the colours its pixels have.
    pixels = frame.convert(_mode_for(frame.mode, kind))
    if max(pixels.size) > MAX_SIDE:  # a reader's screen shows no more; a phone loads it faster
        scale = MAX_SIDE / max(pixels.size)
        size = (max(1, round(pixels.width * scale)), max(1, round(pixels.height * scale)))
        pixels = pixels.resize(size, Image.Resampling.LANCZOS)
    if kind == "GIF" and pixels.mode in ("RGBA", "LA"):
        return _gif_frame_with_transparency(pixels)
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    return clean


def _gif_frame_with_transparency(pixels: Image.Image) -> Image.Image:
    """A GIF frame with see-through pixels: its colours in a palette of their own, exact for up to
    255 colours, and one more entry for see-through."""
    from PIL import Image

    see_through = pixels.getchannel("A").point(lambda alpha: 255 if alpha < 128 else 0)
    frame = pixels.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=255)
    frame.paste(255, mask=see_through)
    frame.info = {"transparency": 255}  # nothing else: `convert` copies the original's info
    return frame


def _in_srgb(frame: Image.Image) -> Image.Image:
    """The frame's colours in sRGB, which browsers assume without a profile."""
    profile = frame.info.get("icc_profile")
    if not profile or frame.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return frame
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        output_mode = "RGBA" if frame.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(frame, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return frame  # a profile that cannot be read: the colours as stored
    return converted if converted is not None else frame


def _mode_for(mode: str, kind: str) -> str:
    """A pixel mode the format stores as it is."""
    if kind == "JPEG":
        return "L" if mode in ("1", "L") else "RGB"
    return mode if mode in ("L", "LA", "RGB", "RGBA") else "RGBA"


def _pillow_version() -> str:
    from PIL import __version__

    return __version__
