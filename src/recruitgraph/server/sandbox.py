"""Walls around a query worker process: no network sockets, and a memory ceiling.

The worker evaluates whatever SPARQL a stranger sent. Parsing refuses SERVICE and LOAD, but two
parsers can read one text differently, so the process itself is also made unable to reach
another host: a seccomp filter (through libseccomp, by ctypes) makes ``socket(AF_INET, ...)`` and
``socket(AF_INET6, ...)`` fail with EACCES. Unix sockets (the pipe to the server) still work.
The memory ceiling is ``RLIMIT_AS``: the worker's address space after it has opened the store,
plus the allowance; an allocation past it fails and the worker dies or stops the query.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import resource
import socket

_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_CMP_EQ = 4


class _Arg(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def forbid_network() -> bool:
    """Install the seccomp filter in this process; False when libseccomp is not available."""
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return False
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(_Arg)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    ctx = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not ctx:
        return False
    try:
        syscall = lib.seccomp_syscall_resolve_name(b"socket")
        deny = 0x00050000 | errno.EACCES  # SCMP_ACT_ERRNO(EACCES)
        for family in (socket.AF_INET, socket.AF_INET6):
            args = (_Arg * 1)(_Arg(0, _SCMP_CMP_EQ, family, 0))
            if lib.seccomp_rule_add_array(ctx, deny, syscall, 1, args) != 0:
                return False
        return bool(lib.seccomp_load(ctx) == 0)
    finally:
        lib.seccomp_release(ctx)


def address_space() -> int:
    """This process's current virtual memory size in bytes (Linux)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    return pages * resource.getpagesize()


def limit_memory(allowance: int) -> int:
    """Cap this process's address space at its current size plus ``allowance`` bytes; the cap."""
    cap = address_space() + allowance
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return cap
