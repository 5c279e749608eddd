"""Where uploaded documents and generated exports are kept: a folder, or an S3-compatible object store.

STORAGE_URL chooses: empty (the instance folder's `uploads/`), a path or a file:// URL (a folder, which may
be a shared mount such as NFS or the council's file server), or s3://bucket/prefix (any S3-compatible
store, through obstore; credentials and the endpoint come from the standard AWS_* environment variables).
Several servers share one storage; each file has a random name and never changes once written.

Names inside the storage are "<first two characters of the key>/<key>", the same in every back end and in
backups. core/uploads.py is the API plugins use; this module is only the back ends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from coproduce.config import ConfigError

OBJECT_SCHEMES = ("s3", "s3a")


def parse_storage_url(value: str, instance_path: Path) -> tuple[str, str]:
    """("folder", absolute path) or ("object", the store's URL), or ConfigError naming the setting."""
    text = (value or "").strip()
    if not text:
        return "folder", str(instance_path / "uploads")
    parts = urlsplit(text)
    if parts.scheme in OBJECT_SCHEMES:
        if not parts.netloc:
            raise ConfigError(f"COPRODUCE_STORAGE_URL={text!r} is not allowed: name the bucket, s3://bucket/prefix")
        return "object", text
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"COPRODUCE_STORAGE_URL={text!r} is not allowed: a file:// URL names a local path")
        text = unquote(parts.path)
    elif parts.scheme and len(parts.scheme) > 1:  # "C:" is a drive, not a scheme
        raise ConfigError(
            f"COPRODUCE_STORAGE_URL={text!r} is not allowed: use a folder path, a file:// URL or s3://bucket/prefix"
        )
    path = Path(text)
    if not path.is_absolute():
        raise ConfigError(f"COPRODUCE_STORAGE_URL={text!r} is not allowed: give an absolute folder path")
    return "folder", str(path)


def safe_name(name: str) -> PurePosixPath | None:
    """A relative name inside the storage, or None when it could leave it (absolute, '..', empty)."""
    relative = PurePosixPath(name)
    if not name or relative.is_absolute() or any(part in ("", ".", "..") for part in relative.parts):
        return None
    if "\\" in name or "\x00" in name:
        return None
    return relative


class FolderStorage:
    """Files in a folder (local or a shared mount), readable by the service's user only."""

    kind = "folder"

    def __init__(self, root: Path):
        self.root = root

    def describe(self) -> str:
        return f"the folder {self.root}"

    def path(self, name: str) -> Path:
        relative = safe_name(name)
        if relative is None:
            raise FileNotFoundError(name)
        return self.root.joinpath(*relative.parts)

    def write(self, name: str, data: bytes) -> None:
        path = self.path(name)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        # Written aside, then renamed: another server never reads half a file.
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        try:
            return self.path(name).is_file()
        except FileNotFoundError:
            return False

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.endswith(".partial"):
                yield path.relative_to(self.root).as_posix()

    def check(self) -> None:
        """Raises OSError when the folder cannot be reached (a shared mount that is gone)."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(self.root, os.R_OK | os.W_OK | os.X_OK):
            raise PermissionError(f"{self.root} is not writable")


class ObjectStorage:
    """Objects in an S3-compatible store, through obstore.

    The client is made in each process on first use (gunicorn forks its workers after the app is built,
    and a client's connections and threads do not survive a fork).
    """

    kind = "object"

    def __init__(self, url: str, store=None):
        self.url = url
        self._given = store
        self._store = None
        self._pid = 0
        self._lock = threading.Lock()

    def describe(self) -> str:
        parts = urlsplit(self.url)
        return f"the object store {parts.scheme}://{parts.netloc}{parts.path}"

    def store(self):
        if self._given is not None:
            return self._given
        if self._store is None or self._pid != os.getpid():
            with self._lock:
                if self._store is None or self._pid != os.getpid():
                    from obstore.store import from_url

                    self._store = from_url(self.url)
                    self._pid = os.getpid()
        return self._store

    @staticmethod
    def _checked(name: str) -> str:
        if safe_name(name) is None:
            raise FileNotFoundError(name)
        return name

    def write(self, name: str, data: bytes) -> None:
        import obstore

        obstore.put(self.store(), self._checked(name), data)

    def read(self, name: str) -> bytes:
        import obstore

        return bytes(obstore.get(self.store(), self._checked(name)).bytes())

    def exists(self, name: str) -> bool:
        import obstore

        try:
            obstore.head(self.store(), self._checked(name))
        except FileNotFoundError:
            return False
        return True

    def delete(self, name: str) -> None:
        import obstore

        try:
            obstore.delete(self.store(), self._checked(name))
        except FileNotFoundError:
            pass

    def names(self) -> Iterator[str]:
        import obstore

        found = [meta["path"] for batch in obstore.list(self.store()) for meta in batch]
        yield from sorted(found)

    def check(self) -> None:
        """Raises when the store cannot be reached or refuses us (one cheap listing request)."""
        import obstore

        for _batch in obstore.list(self.store(), chunk_size=1):
            break


Storage = FolderStorage | ObjectStorage


def build_storage(value: str, instance_path: Path) -> Storage:
    kind, where = parse_storage_url(value, instance_path)
    if kind == "object":
        return ObjectStorage(where)
    return FolderStorage(Path(where))


def default_folder(instance_path: Path) -> Path:
    return instance_path / "uploads"
