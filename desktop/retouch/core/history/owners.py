"""Which processes have a history store open right now.

Each open ``HistoryStore`` holds an exclusive OS lock on its own ``owners/<token>.lock`` file for
as long as it is open. The OS drops the lock when the process dies, however it dies, so
``recover()`` can tell a run whose process was killed (lock free: interrupt it) from one that
another live process — say the CLI while the GUI starts — is still working on (lock held: leave
it alone). Unlike a PID check this cannot be fooled by PID reuse.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock (not lockf): locks belong to the open file, so a second open of the same file,
        # even in this process, sees the lock as taken.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass


class OwnerLock:
    """This store instance's claim of liveness; release it with :meth:`release`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.token = f"{os.getpid()}-{secrets.token_hex(6)}"
        self.path = self.folder / f"{self.token}.lock"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(self._fd):  # a fresh random name: only fails on exotic filesystems
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _unlock(fd)
        os.close(fd)
        try:
            os.unlink(self.path)
        except OSError:
            pass


def live_owners(folder: Path, mine: set[str]) -> set[str]:
    """Tokens of store instances that are open right now; lock files of dead ones are removed."""
    alive = set(mine)
    try:
        names = os.listdir(folder)
    except OSError:
        return alive
    for name in names:
        if not name.endswith(".lock"):
            continue
        token = name[: -len(".lock")]
        if token in alive:
            continue
        path = Path(folder) / name
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue  # vanished meanwhile: its owner closed cleanly
        try:
            if _try_lock(fd):
                _unlock(fd)
                os.close(fd)
                fd = -1
                try:
                    os.unlink(path)  # owner died without cleaning up
                except OSError:
                    pass
            else:
                alive.add(token)
        finally:
            if fd >= 0:
                os.close(fd)
    return alive
