"""The archive file: a ``.tar.gz`` written privately (mode 0600) and
atomically, every member hashed on the way in and checked on the way out.

Members are read and written by this module only, never with
``tarfile.extractall``: names are checked, and only regular files are
accepted, so an archive cannot write outside the folders restore chooses.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import tarfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from blog.backup.errors import ArchiveInvalid, BackupError
from blog.backup.manifest import MANIFEST_NAME, Digest, Manifest

CHUNK = 1024 * 1024
#: A manifest larger than this is not one we wrote.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
#: What reading a damaged ``.tar.gz`` raises.
READ_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error)


class _HashingReader:
    """Wraps a file: what is read through it is hashed and counted."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.hash.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Write members, then :meth:`finish` with the manifest.

    The archive is written to a hidden file beside ``path`` (mode 0600 from
    its creation) and renamed into place only when complete and synced, so
    ``path`` never names a half-written backup.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.members: dict[str, Digest] = {}
        self._partial = path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")
        descriptor = os.open(self._partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(
            name=path.name, fileobj=self._file, mode="w|gz", format=tarfile.PAX_FORMAT
        )
        self._done = False

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._done:
            self.abort()

    def add_file(self, name: str, source: Path) -> Digest:
        """Add ``source`` as ``name``.

        :raises BackupError: the file shrank while it was being read.
        """
        with source.open("rb") as stream:
            status = os.fstat(stream.fileno())
            info = _info(name, status.st_size, status.st_mtime)
            reader = _HashingReader(stream)
            try:
                self._tar.addfile(info, reader)
            except OSError as error:
                raise BackupError(
                    f"{source} changed while it was being saved; run the backup again."
                ) from error
        digest = Digest(reader.size, reader.hash.hexdigest())
        self.members[name] = digest
        return digest

    def add_bytes(self, name: str, data: bytes) -> Digest:
        self._tar.addfile(_info(name, len(data), time.time()), io.BytesIO(data))
        digest = Digest(len(data), hashlib.sha256(data).hexdigest())
        self.members[name] = digest
        return digest

    def finish(self, manifest: Manifest) -> None:
        """Write the manifest (with every member's digest) and move into place."""
        data = manifest.to_json()
        self._tar.addfile(
            _info(MANIFEST_NAME, len(data), time.time()), io.BytesIO(data)
        )
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._partial, self.path)
        _sync_folder(self.path.parent)
        self._done = True

    def abort(self) -> None:
        self._done = True
        try:
            self._tar.close()
        except (OSError, tarfile.TarError):
            pass
        self._file.close()
        self._partial.unlink(missing_ok=True)


def _info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def check_member_name(name: str) -> PurePosixPath:
    """A member name as a relative path with no ``..``, or :class:`ArchiveInvalid`."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ArchiveInvalid(f"The archive holds an unsafe member name: {name!r}.")
    return path


def _read_members(
    path: Path, handle: Callable[[tarfile.TarInfo, IO[bytes]], Digest]
) -> bytes | None:
    """Read every member in order; ``handle`` consumes each but the manifest
    and returns its digest. Returns the manifest's bytes, if any."""
    manifest: bytes | None = None
    seen: set[str] = set()
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                check_member_name(member.name)
                if not member.isfile():
                    raise ArchiveInvalid(
                        f"The archive holds {member.name!r}, which is not a file."
                    )
                if member.name in seen:
                    raise ArchiveInvalid(f"The archive holds {member.name!r} twice.")
                seen.add(member.name)
                stream = tar.extractfile(member)
                if stream is None:  # pragma: no cover - isfile() was checked
                    raise ArchiveInvalid(f"Cannot read {member.name!r}.")
                if member.name == MANIFEST_NAME:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise ArchiveInvalid("The manifest is too large.")
                    manifest = stream.read()
                else:
                    handle(member, stream)
            # tarfile stops at the end-of-archive blocks; reading on to the
            # end makes gzip check its length and CRC, so a cut tail shows.
            compressed = tar.fileobj
            if compressed is not None:
                while compressed.read(CHUNK):
                    pass
    except ArchiveInvalid:
        raise
    except READ_ERRORS as error:
        raise ArchiveInvalid(
            f"{path} cannot be read to the end; it is truncated or corrupted ({error})."
        ) from error
    return manifest


def _hash(stream: IO[bytes], out: IO[bytes] | None = None) -> Digest:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return Digest(size, digest.hexdigest())


def verify(path: Path) -> Manifest:
    """Check every member against the manifest, before anything is restored.

    :raises ArchiveInvalid: truncated, corrupted, a member missing, extra or
        whose checksum differs, or not a blog backup at all.
    """
    found: dict[str, Digest] = {}

    def record(member: tarfile.TarInfo, stream: IO[bytes]) -> Digest:
        found[member.name] = _hash(stream)
        return found[member.name]

    raw = _read_members(path, record)
    if raw is None:
        raise ArchiveInvalid(
            f"{path} has no manifest: it is not a blog backup, or it was cut short."
        )
    manifest = Manifest.from_json(raw)
    _compare(manifest.members, found)
    named = [table.member for table in manifest.tables]
    if manifest.native_member:
        named.append(manifest.native_member)
    unknown = [name for name in named if name not in manifest.members]
    if unknown or len(set(named)) != len(named):
        raise ArchiveInvalid(
            f"The manifest names members the archive does not hold: {unknown}."
        )
    return manifest


def _compare(expected: dict[str, Digest], found: dict[str, Digest]) -> None:
    problems = [f"{name} is missing" for name in sorted(expected.keys() - found)]
    problems += [
        f"{name} is not listed in the manifest"
        for name in sorted(found.keys() - expected)
    ]
    problems += [
        f"{name} does not match its SHA-256 checksum"
        for name in sorted(expected.keys() & found)
        if expected[name] != found[name]
    ]
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ArchiveInvalid(
            f"The archive has been altered or damaged: {shown}{more}. "
            "Nothing was restored."
        )


def extract(
    path: Path, manifest: Manifest, destination: Callable[[str], Path | None]
) -> None:
    """Write members where ``destination(name)`` says (``None``: skip),
    checking each checksum again as it is written.

    :raises ArchiveInvalid: the archive changed since it was verified.
    """
    found: dict[str, Digest] = {}

    def write(member: tarfile.TarInfo, stream: IO[bytes]) -> Digest:
        name = member.name
        target = destination(name) if name in manifest.members else None
        if target is None:
            found[name] = _hash(stream)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:
                found[name] = _hash(stream, out)
            os.utime(target, (member.mtime, member.mtime))
        return found[name]

    raw = _read_members(path, write)
    if raw is None or Manifest.from_json(raw) != manifest:
        raise ArchiveInvalid(f"{path} changed while it was being restored.")
    _compare(manifest.members, found)
