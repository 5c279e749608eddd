"""Backups: one ZIP holding every table (read in one snapshot) and every file in the site's storage.

The format is engine-neutral (JSON lines per table), so a SQLite site can be restored onto
PostgreSQL and back. A backup can be encrypted at rest in the age format (pyrage) to the public key
in a key file: the ZIP is encrypted as it is written, so no unencrypted copy touches the disk, and
only the holder of the secret key can restore it. A backup can be taken while the site runs: tables are read inside one
read transaction (REPEATABLE READ on PostgreSQL, a read transaction in WAL mode on SQLite),
and stored files never change once written (each has a new random name). The files come from the
storage every server shares (coproduce.storage: a folder or an object store), so a backup taken on any
server of a site holds everything.
"""

from __future__ import annotations

import base64
import io
import json
import os
import tempfile
import threading
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from coproduce.storage import Storage, safe_name

FORMAT = 1
AGE_MAGIC = b"age-encryption.org/"
VERSION_TABLE = "alembic_version"
BATCH = 1000
Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why in one line."""


def read_key_file(path: Path) -> tuple[list, list]:
    """The age recipients (public keys) and identities (secret keys) in a key file.

    The file is what `age-keygen` writes: comment lines starting with #, and an AGE-SECRET-KEY-1... line;
    a file holding only public keys (age1...) is enough to write backups, not to restore them.
    """
    from pyrage import x25519

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(f"the key file {path} cannot be read: {getattr(error, 'strerror', None) or error}") from None
    recipients, identities = [], []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith("AGE-SECRET-KEY-"):
                identity = x25519.Identity.from_str(line)
                identities.append(identity)
                recipients.append(identity.to_public())
            elif line.startswith("age1"):
                recipients.append(x25519.Recipient.from_str(line))
            else:
                raise ValueError
        except Exception:  # noqa: BLE001 - pyrage raises its own error types for a malformed key
            raise BackupError(f"line {number} of the key file {path} is not an age key") from None
    if not recipients:
        raise BackupError(f"the key file {path} holds no age key")
    return recipients, identities


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(AGE_MAGIC)) == AGE_MAGIC


class _EncryptingFile:
    """A write-only file whose bytes are encrypted (age, through pyrage) into `target` as they arrive."""

    def __init__(self, target: Path, recipients: list):
        import pyrage

        read_end, write_end = os.pipe()
        self._reader, self._writer = os.fdopen(read_end, "rb"), os.fdopen(write_end, "wb")
        self._out = open(target, "wb")  # noqa: SIM115 - closed by the pump thread
        self._errors: list[BaseException] = []

        def pump():
            try:
                pyrage.encrypt_io(self._reader, self._out, recipients)
            except BaseException as error:  # noqa: BLE001 - raised again in close()
                self._errors.append(error)
            finally:
                self._reader.close()
                self._out.close()

        self._thread = threading.Thread(target=pump, name="backup-encrypt", daemon=True)
        self._thread.start()

    def write(self, data) -> int:
        return self._writer.write(data)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        if not self._writer.closed:
            self._writer.close()
        self._thread.join()
        if self._errors:
            raise BackupError(f"the backup could not be encrypted: {self._errors[0]}")


def _encode(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoder(column: sa.Column):
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return date.fromisoformat
    if isinstance(kind, sa.Time):
        return time.fromisoformat
    if isinstance(kind, sa.Numeric) and kind.asdecimal:
        return Decimal
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode
    return None


def _tables(metadata: sa.MetaData, connection) -> list[sa.Table]:
    """Tables in foreign-key order that exist in this database, plus Alembic's version table."""
    present = set(sa.inspect(connection).get_table_names())
    tables = [t for t in metadata.sorted_tables if t.name in present]
    if VERSION_TABLE in present:
        tables.append(sa.Table(VERSION_TABLE, sa.MetaData(), sa.Column("version_num", sa.String(32))))
    return tables


def _snapshot(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def write_backup(
    target: Path,
    engine: sa.Engine,
    metadata: sa.MetaData,
    storage: Storage,
    progress: Progress = lambda line: None,
    core_version: str = "",
    recipients: list | None = None,
) -> dict:
    """Write the backup ZIP, encrypted to the age `recipients` when given; returns the manifest (row counts
    per table, files)."""
    manifest = {
        "format": FORMAT,
        "core_version": core_version,
        "created_at": datetime.now().astimezone().isoformat(),
        "engine": engine.dialect.name,
        "tables": {},
        "files": 0,
    }
    partial = target.with_name(target.name + ".partial")
    # A backup holds every password hash and personal detail: readable by the service's user only.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    partial.chmod(0o600)
    sink = _EncryptingFile(partial, recipients) if recipients else partial
    try:
        _write_archive(sink, engine, metadata, storage, progress, manifest)
    finally:
        if isinstance(sink, _EncryptingFile):
            sink.close()
    partial.replace(target)
    return manifest


def _write_archive(sink, engine, metadata, storage: Storage, progress, manifest) -> None:
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive, engine.connect() as connection:
        with connection.begin():
            _snapshot(connection)
            tables = _tables(metadata, connection)
            for number, table in enumerate(tables, start=1):
                count = _write_table(archive, connection, table)
                manifest["tables"][table.name] = count
                progress(f"Backing up [{number}/{len(tables)}] {table.name}: {count} rows")
        # Listed after the snapshot: every file a row in it names was written before (files come first).
        files = list(storage.names())
        for number, name in enumerate(files, start=1):
            try:
                data = storage.read(name)
            except FileNotFoundError:  # deleted since the listing (retention, a document removed)
                continue
            archive.writestr(f"uploads/{name}", data)
            if number % 100 == 0 or number == len(files):
                progress(f"Backing up files: {number}/{len(files)}")
        manifest["files"] = len(files)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))


def _write_table(archive: zipfile.ZipFile, connection, table: sa.Table) -> int:
    count = 0
    order = list(table.primary_key.columns) or list(table.columns)
    with archive.open(f"tables/{table.name}.jsonl", "w") as handle:
        result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            sa.select(table).order_by(*order)
        )
        for row in result.mappings():
            line = json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False)
            handle.write(line.encode("utf-8") + b"\n")
            count += 1
    return count


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise BackupError("this file is not a Coproduce backup (it has no manifest.json)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"this backup has format {manifest.get('format')!r}; this version reads format {FORMAT}")
    return manifest


def restore_backup(
    source: Path,
    engine: sa.Engine,
    metadata: sa.MetaData,
    storage: Storage,
    progress: Progress = lambda line: None,
    identities: list | None = None,
    scratch: Path | None = None,
) -> dict:
    """Load a backup into an installation whose tables exist (migrated) and are empty; its files go to
    `storage`.

    An encrypted backup needs the age `identities` (secret keys); it is decrypted into a private
    temporary file in the `scratch` folder (the instance folder), removed when the restore ends.
    """
    try:
        encrypted = is_encrypted(source)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise BackupError(f"{source} cannot be read as a backup: {error}") from None
    if not encrypted:
        return _restore_plain(source, engine, metadata, storage, progress)
    if not identities:
        raise BackupError(f"{source} is encrypted: give the key file that holds its secret key (--key)")
    import pyrage

    folder_for_scratch = scratch or source.parent
    folder_for_scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder_for_scratch, prefix=".restore-") as folder:
        plain = Path(folder) / "backup.zip"
        try:
            with open(source, "rb") as reader, open(plain, "wb") as writer:
                pyrage.decrypt_io(reader, writer, identities)
        except pyrage.DecryptError:
            raise BackupError(f"{source} cannot be decrypted with this key file: is it the right key?") from None
        return _restore_plain(plain, engine, metadata, storage, progress)


def _restore_plain(source: Path, engine, metadata, storage: Storage, progress: Progress) -> dict:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as error:
        raise BackupError(f"{source} cannot be read as a backup: {error}") from None
    with archive, engine.begin() as connection:
        manifest = read_manifest(archive)
        tables = {t.name: t for t in _tables(metadata, connection)}
        _check_empty_and_compatible(connection, tables, manifest, archive)
        connection.execute(tables[VERSION_TABLE].delete())
        names = [n for n in tables if n in manifest["tables"]]
        for number, name in enumerate(names, start=1):
            _load_table(archive, connection, tables[name])
            progress(f"Restoring [{number}/{len(names)}] {name}: {manifest['tables'][name]} rows")
        _reset_sequences(connection, [tables[n] for n in names])
    _restore_files(source, storage, progress)
    return manifest


def _check_empty_and_compatible(connection, tables: dict, manifest: dict, archive: zipfile.ZipFile) -> None:
    missing = sorted(set(manifest["tables"]) - set(tables))
    if missing:
        raise BackupError(
            f"this installation has no table {missing[0]!r}: install and allow the same plugins, "
            "then run coproduce db upgrade"
        )
    for name, table in tables.items():
        if name != VERSION_TABLE and connection.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(f"the installation is not empty (table {name!r} has rows): restore into a new one")
    wanted = {json.loads(line)["version_num"] for line in archive.read(f"tables/{VERSION_TABLE}.jsonl").splitlines()}
    have = set(connection.execute(sa.select(tables[VERSION_TABLE].c.version_num)).scalars())
    if wanted != have:
        raise BackupError(
            f"the backup's database version {sorted(wanted)} differs from this installation's "
            f"{sorted(have)}: use the same Coproduce version and plugins"
        )


def _load_table(archive: zipfile.ZipFile, connection, table: sa.Table) -> None:
    decoders = {c.name: d for c in table.columns if (d := _decoder(c))}
    batch = []
    with archive.open(f"tables/{table.name}.jsonl") as handle:
        for line in io.TextIOWrapper(handle, encoding="utf-8"):
            row = json.loads(line)
            for name, decode in decoders.items():
                if row.get(name) is not None:
                    row[name] = decode(row[name])
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                batch = []
    if batch:
        connection.execute(table.insert(), batch)


def _reset_sequences(connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: move each id sequence past the restored rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, sa.Integer) and column.autoincrement in (True, "auto"):
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "  # nosec B608
                        f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                    )
                )


def _restore_files(source: Path, storage: Storage, progress: Progress) -> None:
    with zipfile.ZipFile(source) as archive:
        names = [n for n in archive.namelist() if n.startswith("uploads/") and not n.endswith("/")]
        for name in names:
            if safe_name(name[len("uploads/") :]) is None:
                raise BackupError(f"the backup holds a file outside the uploads folder: {name}")
        for number, name in enumerate(names, start=1):
            storage.write(name[len("uploads/") :], archive.read(name))
            if number % 100 == 0 or number == len(names):
                progress(f"Restoring files: {number}/{len(names)}")
