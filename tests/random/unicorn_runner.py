#!/usr/bin/python3
"""Reference runner of the random differential tester: Unicorn 2.0.1.

Reads jobs as JSON lines (from the file named by the first argument, or
stdin) and writes one JSON line per job (to the file named by the second
argument, or stdout). A job:

  {"id": 7, "code_base": 65536, "code": "<base64>", "data_base": 536870912,
   "data": "<base64>", "x": ["0x..." * 32], "f": ["0x..." * 32], "fcsr": 37,
   "start": 65536, "syncs": [addr, ...], "step": false, "max_steps": 100000}

The stream runs from `start`; with "step": false it stops at every sync
address in turn (segments never jump over one) and reports the state there;
with "step": true it single-steps (emu_start with count=1) to the last sync
address and reports the state after every instruction. A state is

  {"pc": "0x...", "x": [...], "f": [...], "fcsr": n, "data": "<sha1 of the data region>"}

(with "full_data": true, step states also carry the region itself as "bytes", base64)

and an exception stops the job with "error": {"msg": ..., "pc": "0x..."}.

Unicorn 2.0.1's RISC-V is QEMU 5.0 in machine mode: the FPU is off until
mstatus.FS is set (it is set to Dirty here before fcsr is written), f
registers are UC_RISCV_REG_F0..F31 (raw 64-bit values), fcsr is
UC_RISCV_REG_FCSR (frm << 5 | fflags). The load reservation is not exposed,
so every job gets a fresh engine (0.4 ms) and starts with none.

Run with /usr/bin/python3 (Debian's python3-unicorn).
"""
import base64
import hashlib
import json
import sys

from unicorn import Uc, UcError, UC_ARCH_RISCV, UC_MODE_RISCV64
from unicorn.riscv_const import (UC_RISCV_REG_X0, UC_RISCV_REG_F0, UC_RISCV_REG_FCSR,
                                 UC_RISCV_REG_MSTATUS, UC_RISCV_REG_PC)

PAGE = 0x1000
MSTATUS_FS_DIRTY = 0x6000

X_IDS = [UC_RISCV_REG_X0 + i for i in range(32)]
F_IDS = [UC_RISCV_REG_F0 + i for i in range(32)]


def page_span(base, size):
    lo = base & ~(PAGE - 1)
    hi = (base + size + PAGE - 1) & ~(PAGE - 1)
    return lo, max(hi - lo, PAGE)


def state(mu, data_base, data_size, full=False):
    rr = mu.reg_read
    data = bytes(mu.mem_read(data_base, data_size))
    s = {
        "pc": hex(rr(UC_RISCV_REG_PC)),
        "x": [hex(rr(r)) for r in X_IDS],
        "f": [hex(rr(r)) for r in F_IDS],
        "fcsr": rr(UC_RISCV_REG_FCSR),
        "data": hashlib.sha1(data).hexdigest(),
    }
    if full:
        s["bytes"] = base64.b64encode(data).decode()
    return s


def run_job(job):
    code = base64.b64decode(job["code"])
    data = base64.b64decode(job["data"])
    code_base, data_base = job["code_base"], job["data_base"]
    mu = Uc(UC_ARCH_RISCV, UC_MODE_RISCV64)
    # One more page after the code: Unicorn fetches at the stop address when it ends a page.
    lo, size = page_span(code_base, len(code) + PAGE)
    mu.mem_map(lo, size)
    mu.mem_write(code_base, code)
    lo, size = page_span(data_base, len(data))
    mu.mem_map(lo, size)
    mu.mem_write(data_base, data)
    mu.reg_write(UC_RISCV_REG_MSTATUS, MSTATUS_FS_DIRTY)
    for r, v in zip(X_IDS[1:], job["x"][1:]):
        mu.reg_write(r, int(v, 16))
    for r, v in zip(F_IDS, job["f"]):
        mu.reg_write(r, int(v, 16))
    mu.reg_write(UC_RISCV_REG_FCSR, job["fcsr"])
    out = {"id": job["id"]}
    syncs = job["syncs"]
    pc = job["start"]
    # A job resumed at a sync point reports a state before running anything.
    mu.reg_write(UC_RISCV_REG_PC, pc)
    try:
        if job.get("step"):
            steps = []
            out["steps"] = steps
            end = syncs[-1]
            limit = job.get("max_steps", 1000000)
            while pc != end and len(steps) < limit:
                mu.emu_start(pc, end, count=1)
                pc = mu.reg_read(UC_RISCV_REG_PC)
                steps.append(state(mu, data_base, len(data), job.get("full_data", False)))
        else:
            segs = []
            out["segs"] = segs
            for s in syncs:
                if pc != s:
                    mu.emu_start(pc, s)
                    pc = mu.reg_read(UC_RISCV_REG_PC)
                segs.append(state(mu, data_base, len(data)))
                if pc != s:
                    out["error"] = {"msg": "stopped at 0x%x before sync point 0x%x" % (pc, s), "pc": hex(pc)}
                    break
    except UcError as e:
        out["error"] = {"msg": str(e), "pc": hex(mu.reg_read(UC_RISCV_REG_PC))}
    return out


def main():
    src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    dst = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
    for line in src:
        line = line.strip()
        if not line:
            continue
        job = json.loads(line)
        dst.write(json.dumps(run_job(job), separators=(",", ":")) + "\n")
        dst.flush()
    dst.close()


if __name__ == "__main__":
    main()
