"""What an uploaded file must be before any parser reads it: a real, plain .xlsx or .csv.

Guarantee: :func:`check_file` refuses, with a message that says what to do, every file
that is empty or too large, whose content does not match its name (magic bytes), that
is an old-format, binary, encrypted or macro-enabled workbook, that links to other
workbooks, whose zip package holds unsafe paths (zip-slip) or symbolic links, or
could expand beyond the limits below. It reads only
the signature and, for a workbook, the zip's central directory: no entry is
decompressed. That is enough against a compression bomb because CPython's zipfile
never hands a reader more bytes of an entry than the central directory declares
(``ZipExtFile._read1`` truncates at ``file_size``), so the sizes checked here bound
what the parser can be made to inflate (OWASP ASVS 5.0 §5.2, GB/T 22239-2019 8.1.4.4 d).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from enum import StrEnum
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from guozi.core.importing.problems import FileRefused

#: A million-row ledger (issue 7's import) is about 75 MB as .xlsx: 100 MB admits it, and the
#: uncompressed bound below still caps what the parser may inflate.
MAX_FILE_BYTES = 100 * 1024 * 1024
#: A workbook has a dozen parts, a few hundred with many sheets and images.
MAX_ZIP_ENTRIES = 2_000
#: A million-row sheet is about 0.5 GB of XML; beyond this the file is not a ledger.
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
#: Sheet XML compresses about 10:1; a bomb compresses 1000:1 and more.
MAX_RATIO = 100
#: Small entries may compress oddly well without harm; the ratio is checked above this.
RATIO_CHECKED_FROM = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
#: OLE2 compound file: an old .xls, or an encrypted .xlsx (ECMA-376 Part 2 §11 wraps it in one).
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam"}
_DRIVE = re.compile(r"^[A-Za-z]:")


class FileKind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


def check_file(name: str, content: bytes) -> FileKind:
    """The kind of a file that may be parsed; :class:`FileRefused` otherwise."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if not content:
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise FileRefused(
            _("The file is larger than %(limit)d MB: split the ledger into several files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if suffix in MACRO_SUFFIXES:
        raise FileRefused(_("Macro-enabled workbooks are not accepted: save the ledger as a plain .xlsx workbook."))
    if content.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in content[: 1024 * 1024]:
            raise FileRefused(
                _("The workbook is password-protected (encrypted): remove the password and save it again.")
            )
        raise FileRefused(_("This is an old-format Excel file (.xls): save it as .xlsx and upload it again."))
    if suffix == ".xlsx":
        if not content.startswith(ZIP_MAGIC):
            raise FileRefused(
                _("%(name)s is not a real .xlsx workbook: its content is not an Excel file.") % {"name": name}
            )
        _check_package(content)
        return FileKind.XLSX
    if suffix == ".csv":
        if content.startswith(ZIP_MAGIC):
            raise FileRefused(_("%(name)s is not a real .csv file: it is a workbook; name it .xlsx.") % {"name": name})
        if b"\x00" in content:
            raise FileRefused(_("%(name)s is not a real .csv file: it contains binary data.") % {"name": name})
        return FileKind.CSV
    raise FileRefused(_("Only .xlsx workbooks and .csv files can be imported."))


def _check_package(content: bytes) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileRefused(_("The workbook is damaged and cannot be opened: save it again in Excel.")) from exc
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise FileRefused(
                _("The workbook has too many parts (%(count)d) to be a ledger.") % {"count": len(entries)}
            )
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRefused(_("The file is a zip package but not an Excel workbook."))
        total = 0
        for entry in entries:
            # Zip-slip in either spelling (``../x``, ``..\\x``, ``/etc/x``, ``C:/x``), and
            # symbolic links (Unix mode bits in the external attributes): no part of a
            # workbook is either.
            path = PurePosixPath(entry.filename.replace("\\", "/"))
            is_link = stat.S_ISLNK(entry.external_attr >> 16)
            if path.is_absolute() or ".." in path.parts or _DRIVE.match(entry.filename) or is_link:
                raise FileRefused(_("The workbook contains parts with unsafe paths."))
            if entry.flag_bits & 0x1:
                raise FileRefused(
                    _("The workbook is password-protected (encrypted): remove the password and save it again.")
                )
            if path.name.lower() in {"vbaproject.bin", "vbaprojectsignature.bin"}:
                raise FileRefused(
                    _("Macro-enabled workbooks are not accepted: save the ledger as a plain .xlsx workbook.")
                )
            if entry.filename.startswith("xl/externalLinks/"):
                raise FileRefused(
                    _("The workbook links to other workbooks: break the links (Data → Edit Links) and save it again.")
                )
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (entry.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO):
                raise FileRefused(
                    _("The workbook would expand far beyond its size (a compression bomb) and is refused.")
                )
