# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Photos from the customers' phones: decoded and encoded again, so that
what is kept is pixels only (no EXIF/GPS, no payload behind the image)"""
import io
import os
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from trytond.i18n import gettext
from trytond.modules.crm_fruit_customer.upload import sanitize_filename

from .exceptions import PhotoError

MAX_SIDE = 2048
MAX_PIXELS = 40_000_000
FORMATS = {'JPEG': 'jpg', 'PNG': 'png', 'WEBP': 'jpg', 'GIF': 'png'}


def clean_photo(filename, data):
    "Return (name, data) of the photo as a fresh JPEG or PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise PhotoError(gettext('crm_fruit_portal.msg_photo_type',
                        name=filename))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(gettext('crm_fruit_portal.msg_photo_type',
                        name=filename))
            image.load()
    except (UnidentifiedImageError, OSError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(gettext('crm_fruit_portal.msg_photo_type',
                name=filename))
    extension = FORMATS[image.format]
    # Phones store the orientation in EXIF: apply it before dropping EXIF
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    output = io.BytesIO()
    if extension == 'jpg':
        image.convert('RGB').save(output, 'JPEG', quality=85)
    else:
        if image.mode not in {'RGB', 'RGBA', 'L', 'LA'}:
            image = image.convert('RGBA')
        image.save(output, 'PNG')
    root = os.path.splitext(sanitize_filename(filename))[0] or 'photo'
    return f'{root}.{extension}', output.getvalue()
