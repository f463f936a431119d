/*
 * Reference-vector generator for the rvscope F/D soft-float implementation.
 *
 * Runs every RV64 F/D arithmetic, compare, classify and conversion instruction on
 * a fixed set of edge-case operands plus seeded pseudo-random ones, in every
 * rounding mode where the instruction rounds, and prints one line per case:
 *
 *   <op> <rm> <operand>... <result> <fflags>
 *
 * All fields except op are hex. f32 operands/results are 8 digits, f64 and integer
 * register values 16 digits, compare/classify results are the integer register
 * value. fflags are cleared before each case. The rounding mode is installed in
 * frm and the instruction uses the dynamic rounding mode.
 *
 * Build: riscv64-linux-gnu-gcc -O1 -static gen-vectors.c (see make-vectors.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;

/* ---------- instruction wrappers ---------- */

/*
 * Each wrapper moves raw bit patterns into FP registers with fmv (which NaN-boxes
 * f32 values and never alters payloads), executes the instruction under test with
 * the requested frm, reads fflags and restores frm to RNE. Everything happens in one
 * asm block so that the compiler never touches the operands as floating-point values.
 */
typedef u64 (*exec_fn)(u64 a, u64 b, u64 c, u64 rm, u64 *flags);

#define PROLOGUE "csrw frm, %[rm]\n\tcsrw fflags, zero\n\t"
#define EPILOGUE "frflags %[f]\n\tcsrw frm, zero\n\t"
#define OUTS [r] "=&r"(r), [f] "=&r"(f)
#define INS [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"(rm)
#define CLOBBERS "ft0", "ft1", "ft2", "ft3", "memory"

/* fd = insn(fs1, fs2) */
#define DEF_FFF(fn, mvin, mvout, insn)                                                   \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                  \
    u64 r, f;                                                                            \
    __asm__ volatile(mvin " ft0, %[a]\n\t" mvin " ft1, %[b]\n\t" PROLOGUE insn           \
                     " ft2, ft0, ft1\n\t" EPILOGUE mvout " %[r], ft2\n\t"                \
                     : OUTS : INS : CLOBBERS);                                           \
    *fl = f;                                                                             \
    return r;                                                                            \
  }

/* fd = insn(fs1) */
#define DEF_FF(fn, mvin, mvout, insn)                                                    \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                  \
    u64 r, f;                                                                            \
    __asm__ volatile(mvin " ft0, %[a]\n\t" PROLOGUE insn " ft2, ft0\n\t" EPILOGUE mvout  \
                     " %[r], ft2\n\t"                                                    \
                     : OUTS : INS : CLOBBERS);                                           \
    *fl = f;                                                                             \
    return r;                                                                            \
  }

/* fd = insn(fs1, fs2, fs3) */
#define DEF_FFFF(fn, mvin, mvout, insn)                                                  \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                  \
    u64 r, f;                                                                            \
    __asm__ volatile(mvin " ft0, %[a]\n\t" mvin " ft1, %[b]\n\t" mvin " ft2, %[c]\n\t"   \
                     PROLOGUE insn " ft3, ft0, ft1, ft2\n\t" EPILOGUE mvout              \
                     " %[r], ft3\n\t"                                                    \
                     : OUTS : INS : CLOBBERS);                                           \
    *fl = f;                                                                             \
    return r;                                                                            \
  }

/* xd = insn(fs1, fs2) */
#define DEF_XFF(fn, mvin, insn)                                                          \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                  \
    u64 r, f;                                                                            \
    __asm__ volatile(mvin " ft0, %[a]\n\t" mvin " ft1, %[b]\n\t" PROLOGUE insn           \
                     " %[r], ft0, ft1\n\t" EPILOGUE                                      \
                     : OUTS : INS : CLOBBERS);                                           \
    *fl = f;                                                                             \
    return r;                                                                            \
  }

/* xd = insn(fs1) */
#define DEF_XF(fn, mvin, insn)                                                           \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                  \
    u64 r, f;                                                                            \
    __asm__ volatile(mvin " ft0, %[a]\n\t" PROLOGUE insn " %[r], ft0\n\t" EPILOGUE       \
                     : OUTS : INS : CLOBBERS);                                           \
    *fl = f;                                                                             \
    return r;                                                                            \
  }

/* fd = insn(xs1) */
#define DEF_FX(fn, mvout, insn)                                                          \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                  \
    u64 r, f;                                                                            \
    __asm__ volatile(PROLOGUE insn " ft2, %[a]\n\t" EPILOGUE mvout " %[r], ft2\n\t"      \
                     : OUTS : INS : CLOBBERS);                                           \
    *fl = f;                                                                             \
    return r;                                                                            \
  }

#define S_IN "fmv.w.x"
#define S_OUT "fmv.x.w"
#define D_IN "fmv.d.x"
#define D_OUT "fmv.x.d"

DEF_FFF(x_fadd_s, S_IN, S_OUT, "fadd.s")
DEF_FFF(x_fsub_s, S_IN, S_OUT, "fsub.s")
DEF_FFF(x_fmul_s, S_IN, S_OUT, "fmul.s")
DEF_FFF(x_fdiv_s, S_IN, S_OUT, "fdiv.s")
DEF_FFF(x_fmin_s, S_IN, S_OUT, "fmin.s")
DEF_FFF(x_fmax_s, S_IN, S_OUT, "fmax.s")
DEF_FF(x_fsqrt_s, S_IN, S_OUT, "fsqrt.s")
DEF_FFFF(x_fmadd_s, S_IN, S_OUT, "fmadd.s")
DEF_FFFF(x_fmsub_s, S_IN, S_OUT, "fmsub.s")
DEF_FFFF(x_fnmsub_s, S_IN, S_OUT, "fnmsub.s")
DEF_FFFF(x_fnmadd_s, S_IN, S_OUT, "fnmadd.s")
DEF_XFF(x_feq_s, S_IN, "feq.s")
DEF_XFF(x_flt_s, S_IN, "flt.s")
DEF_XFF(x_fle_s, S_IN, "fle.s")
DEF_XF(x_fclass_s, S_IN, "fclass.s")
DEF_XF(x_fcvt_w_s, S_IN, "fcvt.w.s")
DEF_XF(x_fcvt_wu_s, S_IN, "fcvt.wu.s")
DEF_XF(x_fcvt_l_s, S_IN, "fcvt.l.s")
DEF_XF(x_fcvt_lu_s, S_IN, "fcvt.lu.s")
DEF_FX(x_fcvt_s_w, S_OUT, "fcvt.s.w")
DEF_FX(x_fcvt_s_wu, S_OUT, "fcvt.s.wu")
DEF_FX(x_fcvt_s_l, S_OUT, "fcvt.s.l")
DEF_FX(x_fcvt_s_lu, S_OUT, "fcvt.s.lu")
DEF_FF(x_fcvt_d_s, S_IN, D_OUT, "fcvt.d.s")

DEF_FFF(x_fadd_d, D_IN, D_OUT, "fadd.d")
DEF_FFF(x_fsub_d, D_IN, D_OUT, "fsub.d")
DEF_FFF(x_fmul_d, D_IN, D_OUT, "fmul.d")
DEF_FFF(x_fdiv_d, D_IN, D_OUT, "fdiv.d")
DEF_FFF(x_fmin_d, D_IN, D_OUT, "fmin.d")
DEF_FFF(x_fmax_d, D_IN, D_OUT, "fmax.d")
DEF_FF(x_fsqrt_d, D_IN, D_OUT, "fsqrt.d")
DEF_FFFF(x_fmadd_d, D_IN, D_OUT, "fmadd.d")
DEF_FFFF(x_fmsub_d, D_IN, D_OUT, "fmsub.d")
DEF_FFFF(x_fnmsub_d, D_IN, D_OUT, "fnmsub.d")
DEF_FFFF(x_fnmadd_d, D_IN, D_OUT, "fnmadd.d")
DEF_XFF(x_feq_d, D_IN, "feq.d")
DEF_XFF(x_flt_d, D_IN, "flt.d")
DEF_XFF(x_fle_d, D_IN, "fle.d")
DEF_XF(x_fclass_d, D_IN, "fclass.d")
DEF_XF(x_fcvt_w_d, D_IN, "fcvt.w.d")
DEF_XF(x_fcvt_wu_d, D_IN, "fcvt.wu.d")
DEF_XF(x_fcvt_l_d, D_IN, "fcvt.l.d")
DEF_XF(x_fcvt_lu_d, D_IN, "fcvt.lu.d")
DEF_FX(x_fcvt_d_w, D_OUT, "fcvt.d.w")
DEF_FX(x_fcvt_d_wu, D_OUT, "fcvt.d.wu")
DEF_FX(x_fcvt_d_l, D_OUT, "fcvt.d.l")
DEF_FX(x_fcvt_d_lu, D_OUT, "fcvt.d.lu")
DEF_FF(x_fcvt_s_d, D_IN, S_OUT, "fcvt.s.d")

/* ---------- operand generation ---------- */

static u64 rng = 0x243f6a8885a308d3ull;

/* xorshift64*: deterministic across hosts, so the vector file is reproducible. */
static u64 rnd(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1dull;
}

static u64 rnd_below(u64 n) { return rnd() % n; }

/* Binary interchange format parameters. */
typedef struct {
  int exp_bits, frac_bits;
  const u64 *special;
  int n_special;
} fmt_t;

static const u64 special_s[] = {
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x00000002, 0x00400000, 0x007fffff,
  0x807fffff, 0x00800000, 0x80800000, 0x00800001, 0x01000000, 0x7f7fffff, 0xff7fffff,
  0x7f7ffffe, 0x7f000000, 0x7e800000, 0x3f800000, 0xbf800000, 0x3f800001, 0x3f7fffff,
  0xbf7fffff, 0x40000000, 0xc0000000, 0x3fc00000, 0xbfc00000, 0x3f000000, 0xbf000000,
  0x40200000, 0xc0200000, 0x3e99999a, 0xbf333333, 0x3dcccccd, 0x40490fdb, 0x33800000,
  0x34000000, 0x4b000000, 0x4b7fffff, 0x4b800000, 0x4f000000, 0x4effffff, 0xcf000000,
  0xcf000001, 0x4f800000, 0x4f7fffff, 0x5f000000, 0x5effffff, 0xdf000000, 0xdf000001,
  0x5f800000, 0x5f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc00001,
  0x7f800001, 0xff800001, 0x7fbfffff,
};

static const u64 special_d[] = {
  0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x8000000000000001,
  0x0000000000000002, 0x0008000000000000, 0x000fffffffffffff, 0x800fffffffffffff,
  0x0010000000000000, 0x8010000000000000, 0x0010000000000001, 0x0020000000000000,
  0x7fefffffffffffff, 0xffefffffffffffff, 0x7feffffffffffffe, 0x7fe0000000000000,
  0x7fd0000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000001,
  0x3fefffffffffffff, 0xbfefffffffffffff, 0x4000000000000000, 0xc000000000000000,
  0x3ff8000000000000, 0xbff8000000000000, 0x3fe0000000000000, 0xbfe0000000000000,
  0x4004000000000000, 0xc004000000000000, 0x3fd3333333333333, 0xbfe6666666666666,
  0x3fb999999999999a, 0x400921fb54442d18, 0x3ca0000000000000, 0x3cb0000000000000,
  0x4330000000000000, 0x433fffffffffffff, 0x4340000000000000, 0x41e0000000000000,
  0x41dfffffffffffff, 0x41dfffffffc00000, 0x41dfffffffe00000, 0xc1e0000000000000,
  0xc1e0000000200000, 0xc1e0000000100000, 0x41f0000000000000, 0x41efffffffffffff,
  0x41efffffffe00000, 0x43e0000000000000, 0x43dfffffffffffff, 0xc3e0000000000000,
  0xc3e0000000000001, 0x43f0000000000000, 0x43efffffffffffff, 0x380fffffe0000000,
  0x3810000000000000, 0x380ffffff0000000, 0x380fffffffffffff, 0x47efffffe0000000,
  0x47effffff0000000, 0x36a0000000000000,
  0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000000,
  0x7ff8000000000001, 0x7ff0000000000001, 0xfff0000000000001, 0x7ff7ffffffffffff,
};

static const fmt_t fmt_s = {8, 23, special_s, sizeof special_s / sizeof special_s[0]};
static const fmt_t fmt_d = {11, 52, special_d, sizeof special_d / sizeof special_d[0]};

static u64 mask(int bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }

static u64 make(const fmt_t *f, u64 sign, u64 exp, u64 frac) {
  return (sign << (f->exp_bits + f->frac_bits)) | ((exp & mask(f->exp_bits)) << f->frac_bits) |
         (frac & mask(f->frac_bits));
}

static u64 exp_of(const fmt_t *f, u64 x) { return (x >> f->frac_bits) & mask(f->exp_bits); }

/* Fraction with structure: long runs of ones/zeros expose carry and halfway handling. */
static u64 rnd_frac(const fmt_t *f) {
  u64 fr = rnd();
  switch (rnd_below(6)) {
  case 0: return fr & mask(f->frac_bits);
  case 1: return (fr << rnd_below(f->frac_bits)) & mask(f->frac_bits); /* low zeros */
  case 2: return (mask(f->frac_bits) >> rnd_below(f->frac_bits)) ^ (fr & 1);
  case 3: return (mask(f->frac_bits) << rnd_below(f->frac_bits)) & mask(f->frac_bits);
  case 4: return (1ull << rnd_below(f->frac_bits)) | (fr & 3);
  default: return fr & mask(f->frac_bits) & ~(mask(f->frac_bits) >> 3);
  }
}

/* A random operand, biased towards the interesting parts of the number line. */
static u64 rnd_val(const fmt_t *f) {
  u64 emax = mask(f->exp_bits), bias = emax >> 1, sign = rnd() & 1;
  switch (rnd_below(10)) {
  case 0: return rnd() & mask(1 + f->exp_bits + f->frac_bits);
  case 1: return f->special[rnd_below(f->n_special)];
  case 2: return make(f, sign, rnd_below(f->frac_bits + 2), rnd_frac(f)); /* tiny */
  case 3: return make(f, sign, emax - 1 - rnd_below(f->frac_bits + 2), rnd_frac(f)); /* huge */
  case 4: return make(f, sign, 0, rnd_frac(f)); /* subnormal */
  case 5: return make(f, sign, bias - 2 + rnd_below(70), rnd_frac(f)); /* integer-ish range */
  default: return make(f, sign, bias - 20 + rnd_below(41), rnd_frac(f));
  }
}

/* A second operand related to the first: same or nearby exponent, or a rounding-sized one. */
static u64 rnd_near(const fmt_t *f, u64 a) {
  u64 e = exp_of(f, a), sign = rnd() & 1;
  long d;
  switch (rnd_below(4)) {
  case 0: d = (long)rnd_below(7) - 3; break;
  case 1: d = -(long)f->frac_bits - 3 + (long)rnd_below(6); break;
  case 2: return a ^ rnd_below(4) ^ (sign << (f->exp_bits + f->frac_bits));
  default: d = (long)rnd_below(2 * f->frac_bits + 8) - (long)f->frac_bits - 4; break;
  }
  long ne = (long)e + d;
  if (ne < 0) ne = 0;
  if (ne > (long)mask(f->exp_bits) - 1) ne = (long)mask(f->exp_bits) - 1;
  return make(f, sign, (u64)ne, rnd_frac(f));
}

/* ---------- drivers ---------- */

static void print_val(const fmt_t *f, u64 v) {
  if (f == &fmt_s) printf(" %08llx", (unsigned long long)(v & 0xffffffffull));
  else printf(" %016llx", (unsigned long long)v);
}

typedef enum { OUT_S, OUT_D, OUT_X } out_t;

static void emit(const char *name, exec_fn fn, int rounds, int nargs, const fmt_t *in, out_t out,
                 u64 a, u64 b, u64 c) {
  for (u64 rm = 0; rm < (rounds ? 5u : 1u); rm++) {
    u64 fl, r = fn(a, b, c, rm, &fl);
    printf("%s %llu", name, (unsigned long long)rm);
    u64 ops[3] = {a, b, c};
    for (int i = 0; i < nargs; i++) {
      if (in) print_val(in, ops[i]);
      else printf(" %016llx", (unsigned long long)ops[i]);
    }
    if (out == OUT_S) printf(" %08llx", (unsigned long long)(r & 0xffffffffull));
    else if (out == OUT_D) printf(" %016llx", (unsigned long long)r);
    else printf(" %llx", (unsigned long long)r);
    printf(" %llx\n", (unsigned long long)fl);
  }
}

static out_t out_of(const fmt_t *f) { return f == &fmt_s ? OUT_S : OUT_D; }

/* add/sub/mul/div/min/max/compares: all special pairs plus random and related pairs. */
static void gen_binary(const char *name, exec_fn fn, int rounds, const fmt_t *f, out_t out, int n_rand) {
  for (int i = 0; i < f->n_special; i++)
    for (int j = 0; j < f->n_special; j++) emit(name, fn, rounds, 2, f, out, f->special[i], f->special[j], 0);
  for (int k = 0; k < n_rand; k++) {
    u64 a = rnd_val(f);
    u64 b = (k & 1) ? rnd_near(f, a) : rnd_val(f);
    emit(name, fn, rounds, 2, f, out, a, b, 0);
  }
}

/* Division operands whose quotient is exact or within a few ulps of an exact one. */
static void gen_div_exactish(const char *name, exec_fn fn, exec_fn mul, const fmt_t *f, int n) {
  for (int k = 0; k < n; k++) {
    u64 q = rnd_val(f), b = rnd_val(f), fl;
    u64 a = mul(q, b, 0, rnd_below(5), &fl) & mask(1 + f->exp_bits + f->frac_bits);
    emit(name, fn, 1, 2, f, out_of(f), a ^ rnd_below(2), b, 0);
  }
}

static void gen_unary(const char *name, exec_fn fn, int rounds, const fmt_t *f, out_t out, int n_rand) {
  for (int i = 0; i < f->n_special; i++) emit(name, fn, rounds, 1, f, out, f->special[i], 0, 0);
  for (int k = 0; k < n_rand; k++) emit(name, fn, rounds, 1, f, out, rnd_val(f), 0, 0);
}

/* Perfect squares and their neighbours exercise the exact and nearly-exact sqrt paths. */
static void gen_sqrt_squares(const char *name, exec_fn fn, exec_fn mul, const fmt_t *f, int n) {
  for (int k = 0; k < n; k++) {
    u64 r = rnd_val(f) & mask(f->exp_bits + f->frac_bits), fl;
    u64 sq = mul(r, r, 0, rnd_below(5), &fl) & mask(f->exp_bits + f->frac_bits);
    emit(name, fn, 1, 1, f, out_of(f), sq + rnd_below(3) - 1, 0, 0);
  }
}

static const u64 fma_special_s[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001,
                                    0x80800000, 0x7f7fffff, 0x3f800001, 0x7f800000, 0xff800000,
                                    0x7fc00000, 0x7f800001};
static const u64 fma_special_d[] = {0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000,
                                    0xbff0000000000000, 0x0000000000000001, 0x8010000000000000,
                                    0x7fefffffffffffff, 0x3ff0000000000001, 0x7ff0000000000000,
                                    0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001};

/*
 * Fused multiply-add: special triples, random triples, and addends that (nearly)
 * cancel the product, which is where single rounding and the exact-zero sign rules
 * show.
 */
static void gen_fma(const char *name, exec_fn fn, exec_fn mul, const fmt_t *f, int n_rand) {
  const u64 *sp = f == &fmt_s ? fma_special_s : fma_special_d;
  int ns = 12;
  for (int i = 0; i < ns; i++)
    for (int j = 0; j < ns; j++)
      for (int k = 0; k < ns; k++) emit(name, fn, 1, 3, f, out_of(f), sp[i], sp[j], sp[k]);
  u64 sbit = 1ull << (f->exp_bits + f->frac_bits);
  for (int k = 0; k < n_rand; k++) {
    u64 a = rnd_val(f), b, c, fl;
    switch (k % 4) {
    case 0: b = rnd_val(f); c = rnd_val(f); break;
    case 1: /* c cancels the rounded product: the result is the product's rounding error */
      b = rnd_val(f);
      c = (mul(a, b, 0, rnd_below(5), &fl) & mask(1 + f->exp_bits + f->frac_bits)) ^ (rnd_below(8) ? sbit : 0);
      c += rnd_below(3) - 1;
      break;
    case 2: b = rnd_near(f, a); c = rnd_near(f, a); break;
    default: b = rnd_val(f); c = rnd_near(f, mul(a, b, 0, 0, &fl) & mask(1 + f->exp_bits + f->frac_bits)); break;
    }
    emit(name, fn, 1, 3, f, out_of(f), a, b, c);
  }
}

/* Values around integer-conversion limits and half-integers. */
static void gen_to_int(const char *name, exec_fn fn, const fmt_t *f, exec_fn from_l, int n_rand) {
  static const int64_t anchors[] = {0, 1, 2, 3, 5, 0x7fffffff, 0x80000000ll, 0xffffffffll, 0x100000000ll,
                                    0x7fffffffffffffffll, -0x7fffffffffffffffll - 1, 1ll << 52, 1ll << 23};
  for (int i = 0; i < f->n_special; i++) emit(name, fn, 1, 1, f, OUT_X, f->special[i], 0, 0);
  for (unsigned i = 0; i < sizeof anchors / sizeof anchors[0]; i++)
    for (int neg = 0; neg < 2; neg++) {
      u64 fl, v = from_l((u64)anchors[i], 0, 0, 0, &fl) & mask(1 + f->exp_bits + f->frac_bits);
      v |= (u64)neg << (f->exp_bits + f->frac_bits);
      for (int d = -3; d <= 3; d++) emit(name, fn, 1, 1, f, OUT_X, (v + d) & mask(1 + f->exp_bits + f->frac_bits), 0, 0);
    }
  u64 bias = mask(f->exp_bits) >> 1;
  for (int k = 0; k < n_rand; k++) {
    u64 v = (k & 1) ? rnd_val(f) : make(f, rnd() & 1, bias - 2 + rnd_below(68), rnd_frac(f));
    emit(name, fn, 1, 1, f, OUT_X, v, 0, 0);
  }
}

/* Integers whose magnitude straddles the target precision, including exact halfway patterns. */
static u64 rnd_int(int prec) {
  int len = 1 + (int)rnd_below(64);
  u64 v = rnd() & mask(len);
  switch (rnd_below(4)) {
  case 0: return v;
  case 1: return -v;
  case 2: { /* top bits, a halfway bit, optional sticky */
    int sh = (int)rnd_below(64 - prec);
    u64 hi = (rnd() | 1) & mask(prec);
    return (hi << (sh + 1)) | ((u64)1 << sh) * (rnd() & 1) | (rnd_below(3) == 0);
  }
  default: return (1ull << rnd_below(64)) + rnd_below(5) - 2;
  }
}

static void gen_from_int(const char *name, exec_fn fn, int rounds, out_t out, int prec, int n_rand) {
  static const u64 anchors[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                                0xffffffff80000000, 0x7fffffffffffffff, 0x8000000000000000,
                                0xffffffffffffffff, 0x8000008000000000, 0x0000000001000001,
                                0x0020000000000001, 0xfffffffffeffffff, 0xffe0000000000001};
  for (unsigned i = 0; i < sizeof anchors / sizeof anchors[0]; i++) emit(name, fn, rounds, 1, 0, out, anchors[i], 0, 0);
  for (int k = 0; k < n_rand; k++) emit(name, fn, rounds, 1, 0, out, rnd_int(prec), 0, 0);
}

int main(void) {
  static const struct {
    const char *name;
    exec_fn fn;
    int rounds;
  } bin_s[] = {{"fadd.s", x_fadd_s, 1}, {"fsub.s", x_fsub_s, 1}, {"fmul.s", x_fmul_s, 1}, {"fdiv.s", x_fdiv_s, 1}},
    bin_d[] = {{"fadd.d", x_fadd_d, 1}, {"fsub.d", x_fsub_d, 1}, {"fmul.d", x_fmul_d, 1}, {"fdiv.d", x_fdiv_d, 1}},
    cmp_s[] = {{"fmin.s", x_fmin_s, 0}, {"fmax.s", x_fmax_s, 0}},
    cmp_d[] = {{"fmin.d", x_fmin_d, 0}, {"fmax.d", x_fmax_d, 0}},
    rel_s[] = {{"feq.s", x_feq_s, 0}, {"flt.s", x_flt_s, 0}, {"fle.s", x_fle_s, 0}},
    rel_d[] = {{"feq.d", x_feq_d, 0}, {"flt.d", x_flt_d, 0}, {"fle.d", x_fle_d, 0}},
    fma_s[] = {{"fmadd.s", x_fmadd_s, 1}, {"fmsub.s", x_fmsub_s, 1}, {"fnmsub.s", x_fnmsub_s, 1}, {"fnmadd.s", x_fnmadd_s, 1}},
    fma_d[] = {{"fmadd.d", x_fmadd_d, 1}, {"fmsub.d", x_fmsub_d, 1}, {"fnmsub.d", x_fnmsub_d, 1}, {"fnmadd.d", x_fnmadd_d, 1}},
    toi_s[] = {{"fcvt.w.s", x_fcvt_w_s, 1}, {"fcvt.wu.s", x_fcvt_wu_s, 1}, {"fcvt.l.s", x_fcvt_l_s, 1}, {"fcvt.lu.s", x_fcvt_lu_s, 1}},
    toi_d[] = {{"fcvt.w.d", x_fcvt_w_d, 1}, {"fcvt.wu.d", x_fcvt_wu_d, 1}, {"fcvt.l.d", x_fcvt_l_d, 1}, {"fcvt.lu.d", x_fcvt_lu_d, 1}},
    fromi_s[] = {{"fcvt.s.w", x_fcvt_s_w, 1}, {"fcvt.s.wu", x_fcvt_s_wu, 1}, {"fcvt.s.l", x_fcvt_s_l, 1}, {"fcvt.s.lu", x_fcvt_s_lu, 1}},
    fromi_d[] = {{"fcvt.d.w", x_fcvt_d_w, 0}, {"fcvt.d.wu", x_fcvt_d_wu, 0}, {"fcvt.d.l", x_fcvt_d_l, 1}, {"fcvt.d.lu", x_fcvt_d_lu, 1}};

  for (int i = 0; i < 4; i++) {
    gen_binary(bin_s[i].name, bin_s[i].fn, 1, &fmt_s, OUT_S, 2000);
    gen_binary(bin_d[i].name, bin_d[i].fn, 1, &fmt_d, OUT_D, 2000);
  }
  gen_div_exactish("fdiv.s", x_fdiv_s, x_fmul_s, &fmt_s, 600);
  gen_div_exactish("fdiv.d", x_fdiv_d, x_fmul_d, &fmt_d, 600);
  gen_unary("fsqrt.s", x_fsqrt_s, 1, &fmt_s, OUT_S, 2500);
  gen_unary("fsqrt.d", x_fsqrt_d, 1, &fmt_d, OUT_D, 2500);
  gen_sqrt_squares("fsqrt.s", x_fsqrt_s, x_fmul_s, &fmt_s, 600);
  gen_sqrt_squares("fsqrt.d", x_fsqrt_d, x_fmul_d, &fmt_d, 600);
  for (int i = 0; i < 4; i++) {
    gen_fma(fma_s[i].name, fma_s[i].fn, x_fmul_s, &fmt_s, 2000);
    gen_fma(fma_d[i].name, fma_d[i].fn, x_fmul_d, &fmt_d, 2000);
  }
  for (int i = 0; i < 2; i++) {
    gen_binary(cmp_s[i].name, cmp_s[i].fn, 0, &fmt_s, OUT_S, 2000);
    gen_binary(cmp_d[i].name, cmp_d[i].fn, 0, &fmt_d, OUT_D, 2000);
  }
  for (int i = 0; i < 3; i++) {
    gen_binary(rel_s[i].name, rel_s[i].fn, 0, &fmt_s, OUT_X, 2000);
    gen_binary(rel_d[i].name, rel_d[i].fn, 0, &fmt_d, OUT_X, 2000);
  }
  gen_unary("fclass.s", x_fclass_s, 0, &fmt_s, OUT_X, 3000);
  gen_unary("fclass.d", x_fclass_d, 0, &fmt_d, OUT_X, 3000);
  gen_unary("fcvt.d.s", x_fcvt_d_s, 0, &fmt_s, OUT_D, 3000);
  gen_unary("fcvt.s.d", x_fcvt_s_d, 1, &fmt_d, OUT_S, 3000);
  for (int i = 0; i < 4; i++) {
    gen_to_int(toi_s[i].name, toi_s[i].fn, &fmt_s, x_fcvt_s_l, 2000);
    gen_to_int(toi_d[i].name, toi_d[i].fn, &fmt_d, x_fcvt_d_l, 2000);
    gen_from_int(fromi_s[i].name, fromi_s[i].fn, fromi_s[i].rounds, OUT_S, 24, 1500);
    gen_from_int(fromi_d[i].name, fromi_d[i].fn, fromi_d[i].rounds, OUT_D, 53, 1500);
  }
  return 0;
}
