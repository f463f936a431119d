/*
 * count.c: a TCG plugin for qemu-riscv64 (QEMU 7.2, plugin API version 1)
 * that counts, exactly, what a guest program executes:
 *
 *   insns       instructions executed (an exec callback per instruction)
 *   blocks      translation blocks executed (an exec callback per block)
 *   mem_reads   memory reads and writes (a memory callback per instruction
 *   mem_writes  for both kinds; a read-write access counts in both)
 *
 * At exit it prints "insns: N", "blocks: N", "mem_reads: N" and
 * "mem_writes: N", one per line, with qemu_plugin_outs, which writes to the
 * log: to the -D file, or to stderr without one; nothing is printed unless
 * -d plugin is given.
 *
 *   qemu-riscv64 -plugin count.so -d plugin -D out.log prog args...
 *
 * Callbacks run on every vCPU thread, so the counters are updated with
 * atomic adds (7.2's inline counters are not atomic).
 *
 * The plugin API is declared in qemu-plugin-7.2.h (Debian ships no
 * qemu-plugin.h).  A memory callback's info is a uint32_t with the access
 * kind in bits 16-17: 1 read, 2 write, 3 read-write.  An atomic read-modify-write (AMO, or SC reaching memory)
 * arrives as a read callback and a write callback while the guest has a
 * single thread, and as one read-write callback once it has started another
 * (then qemu emits truly atomic code): both count as one read and one write.
 */
#include <inttypes.h>
#include <stdio.h>

#include "qemu-plugin-7.2.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

static uint64_t insns, blocks, mem_reads, mem_writes;

static void count(uint64_t *counter)
{
  __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void on_insn(unsigned int vcpu, void *userdata)
{
  count(&insns);
}

static void on_block(unsigned int vcpu, void *userdata)
{
  count(&blocks);
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *userdata)
{
  unsigned kind = (info >> 16) & QEMU_PLUGIN_MEM_RW;
  if (kind & QEMU_PLUGIN_MEM_R)
    count(&mem_reads);
  if (kind & QEMU_PLUGIN_MEM_W)
    count(&mem_writes);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS, NULL);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
  }
}

static void print_counts(qemu_plugin_id_t id, void *userdata)
{
  char text[200];
  snprintf(text, sizeof text, "insns: %" PRIu64 "\nblocks: %" PRIu64 "\nmem_reads: %" PRIu64
           "\nmem_writes: %" PRIu64 "\n",
           __atomic_load_n(&insns, __ATOMIC_RELAXED), __atomic_load_n(&blocks, __ATOMIC_RELAXED),
           __atomic_load_n(&mem_reads, __ATOMIC_RELAXED), __atomic_load_n(&mem_writes, __ATOMIC_RELAXED));
  qemu_plugin_outs(text);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv)
{
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, print_counts, NULL);
  return 0;
}
