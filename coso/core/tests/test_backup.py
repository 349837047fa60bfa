"""`coso backup` / `coso restore`: a round trip brings back every table's rows and every media file."""

from __future__ import annotations

import io
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from coso.core.backup import media_files, read_manifest, table_counts
from coso.members.models import Member
from coso.orgs.models import Organization
from coso.testing.factories import make_org

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media"
    (root / "citizens" / "2026").mkdir(parents=True)
    (root / "citizens" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8 a photo \xff\xd9")
    (root / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def needs_tools():
    if connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")


def test_round_trip_restores_every_table_and_media_file(world, media_root, tmp_path, needs_tools):
    archive = tmp_path / "coso.tar.gz"
    call_command("coso_backup", "-o", str(archive))
    saved_counts, saved_media = table_counts(), media_files(media_root)
    assert saved_counts["members_member"] == Member.objects.count() > 0
    assert read_manifest(archive)["tables"] == saved_counts
    assert read_manifest(archive)["media"] == saved_media

    # Everything changes after the backup: a member goes, an organization comes, files go and come.
    Member.objects.filter(pk=world.member_a_record.pk).delete()
    make_org(name="Chi bộ mới sau sao lưu", parent=world.commune, code="NEW")
    (media_root / "evidence.pdf").unlink()
    (media_root / "later.txt").write_text("written after the backup")
    assert table_counts() != saved_counts

    call_command("coso_restore", str(archive), "--yes")

    assert table_counts() == saved_counts
    assert media_files(media_root) == saved_media
    assert Member.objects.filter(pk=world.member_a_record.pk).exists()
    assert not Organization.objects.filter(code="NEW").exists()


def test_restore_asks_before_replacing_anything(world, media_root, tmp_path, needs_tools):
    archive = tmp_path / "coso.tar.gz"
    call_command("coso_backup", "-o", str(archive))
    make_org(name="Chi bộ mới", parent=world.commune, code="KEEP")

    with pytest.raises(CommandError, match="--yes"):
        call_command("coso_restore", str(archive))

    assert Organization.objects.filter(code="KEEP").exists()


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.add(__file__, arcname="notes.py")
    with pytest.raises(CommandError, match="not a Coso backup"):
        call_command("coso_restore", str(not_a_backup), "--yes")


def test_restore_refuses_a_backup_of_another_engine(world, media_root, tmp_path, needs_tools):
    archive = tmp_path / "coso.tar.gz"
    call_command("coso_backup", "-o", str(archive))
    manifest = read_manifest(archive)
    other = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(forged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                data = data.replace(
                    f'"engine": "{manifest["engine"]}"'.encode(), f'"engine": "{other}"'.encode()
                )
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))

    with pytest.raises(CommandError, match=f"of a {other} database"):
        call_command("coso_restore", str(forged), "--yes")
