/*
 * plugins.c: one TCG plugin for qemu-riscv64 (QEMU 7.2, plugin API version 1)
 * with the instrumentation of bench/plugins.js's configurations, chosen with
 * an argument:
 *
 *   qemu-riscv64 -plugin plugins.so,mode=MODE -d plugin -D log prog args...
 *
 *   empty        a translation callback that registers nothing
 *   insn-inline  an inline add per instruction       -> "insns: N"
 *   insn-cb      a callback per instruction           -> "insns: N"
 *   bb-cb        a callback per block, adding its size -> "bbs: B\ninsns: N"
 *   mem-cb       a callback per memory access (R|W)    -> "mem accesses: N"
 *   execlog      QEMU's execlog: a callback per instruction (and per memory
 *                access) building the line `0, 0xPC, 0xOPCODE, "DISAS"`
 *                (`, load, 0xADDR` / `, store, 0xADDR` appended per access),
 *                written with qemu_plugin_outs when the next instruction runs
 *
 * Counters are plain globals (the benchmark's guests are single-threaded);
 * the counts are printed at exit with qemu_plugin_outs, which writes to the
 * -D file (nothing is printed without -d plugin).
 *
 * The plugin API is declared in tests/plugins/qemu/qemu-plugin-7.2.h, shared
 * with tests/plugins/qemu/count.c (Debian ships no qemu-plugin.h).  A memory
 * callback's info is a uint32_t with the access kind in bits 16-17: 1 read,
 * 2 write.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/plugins/qemu/qemu-plugin-7.2.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

enum mode { EMPTY, INSN_INLINE, INSN_CB, BB_CB, MEM_CB, EXECLOG };
static const char *const mode_names[] = { "empty", "insn-inline", "insn-cb", "bb-cb", "mem-cb", "execlog" };
static enum mode mode = EMPTY;

static uint64_t insns, bbs, mem_accesses;

static void on_insn(unsigned int vcpu, void *userdata)
{
  insns++;
}

static void on_block(unsigned int vcpu, void *userdata)
{
  bbs++;
  insns += (uintptr_t)userdata;
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *userdata)
{
  mem_accesses++;
}

/* ---- execlog: QEMU 7.2's contrib/plugins/execlog.c, without glib ---- */

#define MAX_VCPUS 64
#define LINE_MAX_LEN 512

struct line {
  size_t len;
  char text[LINE_MAX_LEN];
};
static struct line last_exec[MAX_VCPUS];

static void line_append(struct line *l, const char *fmt, uint64_t v)
{
  if (l->len < LINE_MAX_LEN) {
    int n = snprintf(l->text + l->len, LINE_MAX_LEN - l->len, fmt, v);
    if (n > 0)
      l->len += (size_t)n;
    if (l->len >= LINE_MAX_LEN)
      l->len = LINE_MAX_LEN - 1;
  }
}

static void execlog_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *userdata)
{
  struct line *l = &last_exec[vcpu % MAX_VCPUS];
  if ((info >> 16) & QEMU_PLUGIN_MEM_W)
    line_append(l, ", store, 0x%08" PRIx64, vaddr);
  else
    line_append(l, ", load, 0x%08" PRIx64, vaddr);
}

static void execlog_insn(unsigned int vcpu, void *userdata)
{
  struct line *l = &last_exec[vcpu % MAX_VCPUS];
  if (l->len > 0) {
    l->text[l->len++] = '\n';
    l->text[l->len] = '\0';
    qemu_plugin_outs(l->text);
  }
  l->len = 0;
  line_append(l, "%u, ", vcpu);
  if (l->len < LINE_MAX_LEN) {
    int n = snprintf(l->text + l->len, LINE_MAX_LEN - l->len, "%s", (const char *)userdata);
    if (n > 0)
      l->len += (size_t)n;
    if (l->len >= LINE_MAX_LEN - 1)
      l->len = LINE_MAX_LEN - 2;
  }
}

static void execlog_translate(struct qemu_plugin_tb *tb)
{
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint32_t opcode = 0;
    size_t size = qemu_plugin_insn_size(insn);
    memcpy(&opcode, qemu_plugin_insn_data(insn), size < 4 ? size : 4);
    char *disas = qemu_plugin_insn_disas(insn);
    const char *d = disas ? disas : "";
    /* Like QEMU's: one string per translated instruction, never freed. */
    size_t len = strlen(d) + 64;
    char *text = malloc(len);
    if (text == NULL)
      abort();
    snprintf(text, len, "0x%" PRIx64 ", 0x%" PRIx32 ", \"%s\"", qemu_plugin_insn_vaddr(insn), opcode, d);
    free(disas);
    qemu_plugin_register_vcpu_mem_cb(insn, execlog_mem, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
    qemu_plugin_register_vcpu_insn_exec_cb(insn, execlog_insn, QEMU_PLUGIN_CB_NO_REGS, text);
  }
}

/* ---- translation and exit ---- */

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
  size_t n = qemu_plugin_tb_n_insns(tb);
  switch (mode) {
  case EMPTY:
    break;
  case INSN_INLINE:
    for (size_t i = 0; i < n; i++)
      qemu_plugin_register_vcpu_insn_exec_inline(qemu_plugin_tb_get_insn(tb, i), QEMU_PLUGIN_INLINE_ADD_U64,
                                                 &insns, 1);
    break;
  case INSN_CB:
    for (size_t i = 0; i < n; i++)
      qemu_plugin_register_vcpu_insn_exec_cb(qemu_plugin_tb_get_insn(tb, i), on_insn, QEMU_PLUGIN_CB_NO_REGS,
                                             NULL);
    break;
  case BB_CB:
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)n);
    break;
  case MEM_CB:
    for (size_t i = 0; i < n; i++)
      qemu_plugin_register_vcpu_mem_cb(qemu_plugin_tb_get_insn(tb, i), on_mem, QEMU_PLUGIN_CB_NO_REGS,
                                       QEMU_PLUGIN_MEM_RW, NULL);
    break;
  case EXECLOG:
    execlog_translate(tb);
    break;
  }
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
  char text[200];
  switch (mode) {
  case INSN_INLINE:
  case INSN_CB:
    snprintf(text, sizeof text, "insns: %" PRIu64 "\n", insns);
    break;
  case BB_CB:
    snprintf(text, sizeof text, "bbs: %" PRIu64 "\ninsns: %" PRIu64 "\n", bbs, insns);
    break;
  case MEM_CB:
    snprintf(text, sizeof text, "mem accesses: %" PRIu64 "\n", mem_accesses);
    break;
  case EXECLOG:
    /* The last instruction's line, as QEMU's execlog prints at exit. */
    for (int i = 0; i < MAX_VCPUS; i++) {
      if (last_exec[i].len > 0) {
        last_exec[i].text[last_exec[i].len++] = '\n';
        last_exec[i].text[last_exec[i].len] = '\0';
        qemu_plugin_outs(last_exec[i].text);
        last_exec[i].len = 0;
      }
    }
    return;
  default:
    return;
  }
  qemu_plugin_outs(text);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv)
{
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    bool known = false;
    if (strncmp(arg, "mode=", 5) == 0) {
      for (size_t m = 0; m < sizeof mode_names / sizeof mode_names[0]; m++) {
        if (strcmp(arg + 5, mode_names[m]) == 0) {
          mode = (enum mode)m;
          known = true;
        }
      }
    }
    if (!known) {
      fprintf(stderr, "plugins.so: unknown argument %s (mode=empty|insn-inline|insn-cb|bb-cb|mem-cb|execlog)\n",
              arg);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, at_exit, NULL);
  return 0;
}
