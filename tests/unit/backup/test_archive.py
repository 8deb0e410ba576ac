"""The archive: written privately and atomically, every member checked."""

from __future__ import annotations

import io
import stat
import tarfile

import pytest

from blog.backup import archive
from blog.backup.errors import ArchiveInvalid
from blog.backup.manifest import FORMAT_VERSION, Manifest, TableEntry


def _manifest(members: dict[str, archive.Digest]) -> Manifest:
    return Manifest(
        created_at="2025-01-01T00:00:00Z",
        app_version="test",
        database_kind="sqlite",
        server_version="3",
        alembic_revision=None,
        code_revision=None,
        tables=(TableEntry("t", "database/tables/001-t.jsonl", ("id",), (), 1),),
        members=dict(members),
    )


def _write(path, files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    with archive.ArchiveWriter(path) as writer:
        for name, data in files.items():
            writer.add_bytes(name, data)
        writer.finish(_manifest(writer.members))
    return path


FILES = {
    "database/tables/001-t.jsonl": b"[1]\n",
    "uploads/a.png": b"\x89PNG not really",
    "uploads/sub/b.txt": b"x" * 100_000,
}


def test_round_trip_and_private_mode(tmp_path):
    path = _write(tmp_path / "backup.tar.gz", FILES)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["backup.tar.gz"]  # no leftovers
    manifest = archive.verify(path)
    assert set(manifest.members) == set(FILES)
    assert manifest.upload_members == ["uploads/a.png", "uploads/sub/b.txt"]
    out = tmp_path / "out"
    archive.extract(path, manifest, lambda name: out / name)
    for name, data in FILES.items():
        assert (out / name).read_bytes() == data


def test_an_aborted_archive_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), archive.ArchiveWriter(tmp_path / "x.tar.gz") as w:
        w.add_bytes("uploads/a", b"a")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def _rewrite(source, target, change):  # type: ignore[no-untyped-def]
    """Copy an archive member by member, letting ``change`` alter each."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            replaced = change(member.name, data)
            if replaced is None:
                continue
            name, data = replaced
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def test_a_changed_member_is_refused(tmp_path):
    good = _write(tmp_path / "good.tar.gz", FILES)

    def tamper(name: str, data: bytes):  # type: ignore[no-untyped-def]
        return name, (data.replace(b"not", b"NOT") if name == "uploads/a.png" else data)

    bad = _rewrite(good, tmp_path / "bad.tar.gz", tamper)
    with pytest.raises(ArchiveInvalid, match="uploads/a.png does not match"):
        archive.verify(bad)


def test_missing_and_extra_members_are_refused(tmp_path):
    good = _write(tmp_path / "good.tar.gz", FILES)
    dropped = _rewrite(
        good,
        tmp_path / "dropped.tar.gz",
        lambda name, data: None if name == "uploads/a.png" else (name, data),
    )
    with pytest.raises(ArchiveInvalid, match="uploads/a.png is missing"):
        archive.verify(dropped)

    def add(name: str, data: bytes):  # type: ignore[no-untyped-def]
        return ("uploads/evil.php" if name == "uploads/a.png" else name), data

    renamed = _rewrite(good, tmp_path / "renamed.tar.gz", add)
    with pytest.raises(ArchiveInvalid, match="evil.php is not listed"):
        archive.verify(renamed)


@pytest.mark.parametrize("keep", [0.99, 0.5, 0.02])
def test_a_truncated_archive_is_refused(tmp_path, keep):
    good = _write(tmp_path / "good.tar.gz", FILES).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good[: int(len(good) * keep)])
    with pytest.raises(ArchiveInvalid, match="truncated|no manifest"):
        archive.verify(cut)


def test_not_an_archive(tmp_path):
    path = tmp_path / "notes.tar.gz"
    path.write_text("hello")
    with pytest.raises(ArchiveInvalid, match="truncated or corrupted"):
        archive.verify(path)
    plain = tmp_path / "plain.tar.gz"
    with tarfile.open(plain, "w:gz") as tar:
        info = tarfile.TarInfo("readme")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(ArchiveInvalid, match="no manifest"):
        archive.verify(plain)


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../x", "uploads/../../x", "uploads//x", "a\\b", ""]
)
def test_unsafe_names_are_refused(name):
    with pytest.raises(ArchiveInvalid, match="unsafe"):
        archive.check_member_name(name)


def test_links_are_refused(tmp_path):
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("uploads/x")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(ArchiveInvalid, match="not a file"):
        archive.verify(path)


def test_a_newer_format_is_refused():
    raw = (
        _manifest({})
        .to_json()
        .replace(
            f'"format_version": {FORMAT_VERSION}'.encode(),
            f'"format_version": {FORMAT_VERSION + 1}'.encode(),
        )
    )
    with pytest.raises(ArchiveInvalid, match="Upgrade the blog"):
        Manifest.from_json(raw)


def test_manifest_round_trip():
    manifest = _manifest({"uploads/a": archive.Digest(3, "ab" * 32)})
    assert Manifest.from_json(manifest.to_json()) == manifest


def test_a_manifest_naming_absent_members_is_refused(tmp_path):
    path = tmp_path / "odd.tar.gz"
    with archive.ArchiveWriter(path) as writer:
        writer.add_bytes("uploads/a.png", b"a")  # but no table member
        writer.finish(_manifest(writer.members))
    with pytest.raises(ArchiveInvalid, match="does not hold"):
        archive.verify(path)
