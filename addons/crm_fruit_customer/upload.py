# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Allow-list, size limit and safe names of the files uploaded from outside"
import io
import os
import unicodedata
import zipfile

from trytond.config import config
from trytond.i18n import gettext

from .exceptions import UploadSizeError, UploadTypeError

MAX_SIZE = config.getint(
    'crm_fruit', 'upload_max_size', default=10 * 1024 * 1024)
MAX_NAME_LENGTH = 120
_RESERVED = set('<>:"|?*')
_MARKUP = (b'<!doctype', b'<html', b'<svg', b'<?xml', b'<script', b'<body',
    b'<head', b'<iframe', b'<!--')

# extension -> kind of content it must hold
EXTENSIONS = {
    'jpg': 'jpeg', 'jpeg': 'jpeg', 'png': 'png', 'gif': 'gif',
    'webp': 'webp',
    'pdf': 'pdf',
    'doc': 'ole', 'xls': 'ole',
    'docx': 'docx', 'xlsx': 'xlsx', 'pptx': 'pptx',
    'odt': 'odt', 'ods': 'ods',
    'txt': 'text', 'csv': 'text',
    }
# kind -> extension added to a name that has none
DEFAULT_EXTENSIONS = {
    'jpeg': 'jpg', 'png': 'png', 'gif': 'gif', 'webp': 'webp', 'pdf': 'pdf',
    'docx': 'docx', 'xlsx': 'xlsx', 'pptx': 'pptx', 'odt': 'odt',
    'ods': 'ods',
    }
_OOXML = {
    'word/document.xml': 'docx',
    'xl/workbook.xml': 'xlsx',
    'ppt/presentation.xml': 'pptx',
    }
_ODF = {
    b'application/vnd.oasis.opendocument.text': 'odt',
    b'application/vnd.oasis.opendocument.spreadsheet': 'ods',
    }


def sanitize_filename(filename):
    "Return the last path component without control or bidi characters"
    name = unicodedata.normalize('NFC', filename or '')
    name = name.replace('\\', '/').rsplit('/', 1)[-1]
    name = ''.join(_safe_char(c) for c in name)
    name = name.strip(' .')
    root, ext = os.path.splitext(name)
    if len(name) > MAX_NAME_LENGTH:
        ext = ext[:16]
        root = root[:MAX_NAME_LENGTH - len(ext)].rstrip(' .')
        name = root + ext
    return name


def _safe_char(char):
    category = unicodedata.category(char)
    if category == 'Zs':
        return ' '
    if category[0] in {'C', 'Z'}:
        return ''
    return '_' if char in _RESERVED else char


def sniff(data):
    "Return the kind of the content from its magic bytes or None"
    head = bytes(data[:16])
    if head.startswith(b'\xff\xd8\xff'):
        return 'jpeg'
    if head.startswith(b'\x89PNG\r\n\x1a\n'):
        return 'png'
    if head[:6] in {b'GIF87a', b'GIF89a'}:
        return 'gif'
    if head[:4] == b'RIFF' and head[8:12] == b'WEBP':
        return 'webp'
    if head.startswith(b'%PDF-'):
        return 'pdf'
    if head.startswith(b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'):
        return 'ole'
    if head.startswith(b'PK\x03\x04'):
        return _sniff_zip(data)
    if _is_text(data):
        return 'text'


def _sniff_zip(data):
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            names = set(archive.namelist())
            if any(n.lower().endswith('vbaproject.bin') for n in names):
                return None
            if 'mimetype' in names:
                info = archive.getinfo('mimetype')
                if info.file_size <= 100:
                    return _ODF.get(archive.read('mimetype').strip())
                return None
            if '[Content_Types].xml' in names:
                for name, kind in _OOXML.items():
                    if name in names:
                        return kind
    except (zipfile.BadZipFile, ValueError, NotImplementedError,
            RuntimeError, EOFError):
        pass


def _is_text(data):
    data = bytes(data)
    if b'\x00' in data:
        return False
    for encoding in ['utf-8-sig', 'gb18030']:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    if any(unicodedata.category(c) == 'Cc' and c not in '\t\n\r\f'
            for c in text):
        return False
    start = text.lstrip().lower().encode('utf-8')
    return not start.startswith(_MARKUP)


def _size(size):
    return '%.1f MiB' % (size / 1024 / 1024)


def validate_upload(filename, data):
    """Return the sanitised filename of data
    or raise a UserError when its type is not allowed or it is too large"""
    name = sanitize_filename(filename)
    display = name or '?'
    if data is None:
        return name
    if len(data) > MAX_SIZE:
        raise UploadSizeError(gettext(
                'crm_fruit_customer.msg_upload_too_large',
                filename=display, size=_size(len(data)),
                limit=_size(MAX_SIZE)))
    kind = sniff(data)
    root, ext = os.path.splitext(name)
    ext = ext[1:].lower()
    if not ext and kind in DEFAULT_EXTENSIONS:
        ext = DEFAULT_EXTENSIONS[kind]
        name = '%s.%s' % (root or 'file', ext)
    if ext not in EXTENSIONS:
        raise UploadTypeError(gettext(
                'crm_fruit_customer.msg_upload_type_not_allowed',
                filename=display))
    if EXTENSIONS[ext] != kind:
        raise UploadTypeError(gettext(
                'crm_fruit_customer.msg_upload_type_mismatch',
                filename=display, extension=ext))
    if not root:
        name = 'file.' + ext
    return name
