"""Plain files kept in the lake's store (a folder or an object store), beside the Delta tables.

An upload lands here, not on the web host's disk, so any worker host can run its
ingest; the rows a run rejects land here too, so any web host can serve them.
A local lake keeps them under its own folder; an ``s3://`` lake in its bucket,
reached with the usual ``AWS_*`` variables (see ``storage``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyarrow.fs as pafs

from .storage import pyarrow_filesystem
from .write import local_dir

#: folder of the lake holding uploads and quarantines (never a fact table's name)
FILES_FOLDER = "_files"


def files_uri(lake_uri: str, *parts: str) -> str:
    return "/".join([str(lake_uri).rstrip("/"), FILES_FOLDER, *parts])


def is_local(uri: str) -> bool:
    return local_dir(uri) is not None


def _fs(uri: str) -> tuple[pafs.FileSystem, str]:
    folder = local_dir(uri)
    if folder is not None:
        return pafs.LocalFileSystem(), str(folder.resolve())
    return pyarrow_filesystem(uri)


def put_file(local: str | Path, uri: str) -> None:
    """Copy the local file ``local`` to ``uri`` (folders made as needed)."""
    folder = local_dir(uri)
    if folder is not None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        if Path(local).resolve() != folder.resolve():
            shutil.copyfile(local, folder)
        return
    fs, path = _fs(uri)
    with Path(local).open("rb") as src, fs.open_output_stream(path) as out:
        shutil.copyfileobj(src, out, 8 << 20)


def fetch(uri: str, local: str | Path) -> Path:
    """A local path holding ``uri``'s bytes: the file itself when the store is local, else a copy at ``local``."""
    folder = local_dir(uri)
    if folder is not None:
        return folder
    fs, path = _fs(uri)
    Path(local).parent.mkdir(parents=True, exist_ok=True)
    with fs.open_input_stream(path) as src, Path(local).open("wb") as out:
        shutil.copyfileobj(src, out, 8 << 20)
    return Path(local)


def exists(uri: str) -> bool:
    fs, path = _fs(uri)
    return fs.get_file_info(path).type == pafs.FileType.File


@contextmanager
def open_read(uri: str) -> Iterator[BinaryIO]:
    folder = local_dir(uri)
    if folder is not None:
        with folder.open("rb") as fh:
            yield fh
        return
    fs, path = _fs(uri)
    with fs.open_input_stream(path) as stream:
        yield stream


def read_bytes(uri: str) -> bytes:
    with open_read(uri) as stream:
        return stream.read()


def remove_folder(uri: str) -> None:
    """Delete the folder ``uri`` and everything under it; nothing happens when it is not there."""
    folder = local_dir(uri)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    fs, path = _fs(uri)
    if fs.get_file_info(path).type != pafs.FileType.NotFound:
        fs.delete_dir(path)
