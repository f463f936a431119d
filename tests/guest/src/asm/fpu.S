/* fpu.S: F and D extensions.  Every operation that can round is run under
 * all five rounding modes (dynamic frm and static rm fields), and the
 * accrued fflags are printed after each one (NV=10 DZ=08 OF=04 UF=02 NX=01).
 * Also covers NaN canonicalisation, NaN-boxing of single values, fmin/fmax
 * with signed zeros and signalling NaNs, compare flags, fclass, conversion
 * saturation and the fcsr/frm/fflags CSR views.  FP results are printed as
 * raw 64-bit register contents (fmv.x.d) so that boxing is visible. */
#include "rt.inc"

.macro LD_D freg, bits
	li t0, \bits
	fmv.d.x \freg, t0
.endm
.macro LD_S freg, bits
	li t0, \bits
	fmv.w.x \freg, t0
.endm
.macro RES name, freg
	fmv.x.d t0, \freg
	SHOW \name, t0
.endm
.macro FLAGS name
	frflags t0
	fsflags zero
	SHOW \name\()_fl, t0
.endm
/* FOP name, insn...: run one instruction writing fa3, show fa3 and flags */
.macro FOP name, insn:vararg
	fsflags zero
	\insn
	RES \name, fa3
	FLAGS \name
.endm
/* XOP name, insn...: same for an instruction writing integer a3 */
.macro XOP name, insn:vararg
	fsflags zero
	\insn
	SHOW \name, a3
	FLAGS \name
.endm
/* ALLRM / XALLRM: run with dynamic rounding set to RNE, RTZ, RDN, RUP, RMM */
.macro ALLRM name, insn:vararg
	.irp m, 0, 1, 2, 3, 4
	fsrmi \m
	FOP \name\()_rm\m, \insn
	.endr
	fsrmi 0
.endm
.macro XALLRM name, insn:vararg
	.irp m, 0, 1, 2, 3, 4
	fsrmi \m
	XOP \name\()_rm\m, \insn
	.endr
	fsrmi 0
.endm

	.text
	.globl _start
_start:
	RT_INIT
	fscsr zero

	/* --- rounding of a half-ulp tie, single precision --- */
	LD_S fa0, 0x3f800000		/* 1.0 */
	LD_S fa1, 0x33800000		/* 2^-24: exactly half an ulp of 1.0 */
	ALLRM fadd_s_tie, fadd.s fa3, fa0, fa1, dyn
	LD_S fa0, 0xbf800000		/* -1.0 */
	ALLRM fsub_s_negtie, fsub.s fa3, fa0, fa1, dyn
	LD_S fa1, 0x33800001		/* a bit more than half an ulp */
	ALLRM fsub_s_neg, fsub.s fa3, fa0, fa1, dyn

	/* --- static rounding modes in the instruction --- */
	LD_S fa0, 0x3f800000
	LD_S fa1, 0x33800000
	fsrmi 3				/* dynamic RUP must be ignored */
	FOP fadd_s_static_rne, fadd.s fa3, fa0, fa1, rne
	FOP fadd_s_static_rmm, fadd.s fa3, fa0, fa1, rmm
	FOP fadd_s_static_rdn, fadd.s fa3, fa0, fa1, rdn
	fsrmi 0

	/* --- double: division, sqrt, fma --- */
	LD_D fa0, 0x3ff0000000000000	/* 1.0 */
	LD_D fa1, 0x4008000000000000	/* 3.0 */
	ALLRM fdiv_d_1_3, fdiv.d fa3, fa0, fa1, dyn
	LD_D fa0, 0xbff0000000000000
	ALLRM fdiv_d_m1_3, fdiv.d fa3, fa0, fa1, dyn
	LD_D fa0, 0x4000000000000000	/* 2.0 */
	ALLRM fsqrt_d_2, fsqrt.d fa3, fa0, dyn
	LD_S fa0, 0x40000000
	ALLRM fsqrt_s_2, fsqrt.s fa3, fa0, dyn
	LD_D fa0, 0x3ff0000000000001	/* 1 + ulp */
	LD_D fa1, 0x3ff0000000000001
	LD_D fa2, 0xbff0000000000000	/* -1: fma keeps the 2^-104 term */
	ALLRM fmadd_d, fmadd.d fa3, fa0, fa1, fa2, dyn
	ALLRM fmul_d, fmul.d fa3, fa0, fa1, dyn
	FOP fmsub_d, fmsub.d fa3, fa0, fa1, fa2
	FOP fnmadd_d, fnmadd.d fa3, fa0, fa1, fa2
	FOP fnmsub_d, fnmsub.d fa3, fa0, fa1, fa2
	LD_S fa0, 0x3f800001
	LD_S fa1, 0x3f800001
	LD_S fa2, 0xbf800000
	FOP fmadd_s, fmadd.s fa3, fa0, fa1, fa2
	FOP fnmsub_s, fnmsub.s fa3, fa0, fa1, fa2

	/* --- exceptional cases and their flags --- */
	LD_D fa0, 0x3ff0000000000000
	fmv.d.x fa1, zero
	FOP fdiv_1_0, fdiv.d fa3, fa0, fa1
	FOP fdiv_0_0, fdiv.d fa3, fa1, fa1
	LD_D fa0, 0xbff0000000000000
	FOP fsqrt_m1, fsqrt.d fa3, fa0
	LD_D fa0, 0x7fefffffffffffff	/* DBL_MAX */
	LD_D fa1, 0x4000000000000000
	ALLRM fmul_ovf, fmul.d fa3, fa0, fa1, dyn
	LD_D fa0, 0x0010000000000000	/* DBL_MIN */
	LD_D fa1, 0x3fe0000000000000	/* 0.5: exact subnormal result */
	FOP fmul_exact_sub, fmul.d fa3, fa0, fa1
	LD_D fa0, 0x0000000000000001	/* smallest subnormal */
	ALLRM fmul_uflow, fmul.d fa3, fa0, fa1, dyn
	LD_D fa0, 0x7ff0000000000000	/* +inf */
	FOP fsub_inf_inf, fsub.d fa3, fa0, fa0
	fmv.d.x fa1, zero
	FOP fmul_inf_0, fmul.d fa3, fa0, fa1
	LD_D fa2, 0x7ff8000000000000	/* qNaN addend still gets NV for inf*0 */
	FOP fmadd_inf_0_qnan, fmadd.d fa3, fa0, fa1, fa2
	LD_D fa0, 0x7ff4000000000000	/* sNaN */
	LD_D fa1, 0x3ff0000000000000
	FOP fadd_snan, fadd.d fa3, fa0, fa1
	LD_D fa0, 0x7ff8000000000123	/* qNaN with payload: result is canonical */
	FOP fadd_qnan_payload, fadd.d fa3, fa0, fa1

	/* --- conversions to integer: rounding and saturation --- */
	LD_D fa0, 0x4004000000000000	/* 2.5 */
	XALLRM fcvt_w_d_2p5, fcvt.w.d a3, fa0, dyn
	LD_D fa0, 0xc004000000000000	/* -2.5 */
	XALLRM fcvt_w_d_m2p5, fcvt.w.d a3, fa0, dyn
	LD_D fa0, 0x3fe0000000000000	/* 0.5 */
	XALLRM fcvt_l_d_0p5, fcvt.l.d a3, fa0, dyn
	LD_S fa0, 0x7fc00000		/* NaN */
	XOP fcvt_w_s_nan, fcvt.w.s a3, fa0, rtz
	XOP fcvt_wu_s_nan, fcvt.wu.s a3, fa0, rtz
	XOP fcvt_l_s_nan, fcvt.l.s a3, fa0, rtz
	XOP fcvt_lu_s_nan, fcvt.lu.s a3, fa0, rtz
	LD_S fa0, 0xff800000		/* -inf */
	XOP fcvt_w_s_minf, fcvt.w.s a3, fa0, rtz
	XOP fcvt_lu_s_minf, fcvt.lu.s a3, fa0, rtz
	LD_S fa0, 0xbf800000		/* -1.0 */
	XOP fcvt_wu_s_m1, fcvt.wu.s a3, fa0, rtz
	LD_S fa0, 0xbf000000		/* -0.5 rounds to 0: inexact only */
	XOP fcvt_wu_s_m0p5, fcvt.wu.s a3, fa0, rtz
	LD_D fa0, 0x43e0000000000000	/* 2^63 */
	XOP fcvt_l_d_2p63, fcvt.l.d a3, fa0, rtz
	XOP fcvt_lu_d_2p63, fcvt.lu.d a3, fa0, rtz
	LD_D fa0, 0x41f0000000000000	/* 2^32 */
	XOP fcvt_wu_d_2p32, fcvt.wu.d a3, fa0, rtz
	LD_D fa0, 0x41efffffffe00000	/* 2^32 - 1: wu result is sign-extended */
	XOP fcvt_wu_d_max, fcvt.wu.d a3, fa0, rtz
	LD_D fa0, 0xc1e0000000000000	/* -2^31 exactly */
	XOP fcvt_w_d_min, fcvt.w.d a3, fa0, rtz

	/* --- conversions from integer and between formats --- */
	li a0, 16777217			/* 2^24 + 1: not representable in single */
	ALLRM fcvt_s_w, fcvt.s.w fa3, a0, dyn
	li a0, -1
	ALLRM fcvt_s_lu_max, fcvt.s.lu fa3, a0, dyn
	FOP fcvt_s_l_m1, fcvt.s.l fa3, a0
	FOP fcvt_d_wu_m1, fcvt.d.wu fa3, a0
	FOP fcvt_d_w_m1, fcvt.d.w fa3, a0
	LD_D fa0, 0x3ff0000010000000	/* 1 + 2^-24: a tie for single */
	ALLRM fcvt_s_d_tie, fcvt.s.d fa3, fa0, dyn
	LD_D fa0, 0x7ff4000000000000	/* sNaN */
	FOP fcvt_s_d_snan, fcvt.s.d fa3, fa0
	LD_S fa0, 0x7f800001		/* single sNaN */
	FOP fcvt_d_s_snan, fcvt.d.s fa3, fa0
	LD_D fa0, 0x47effffff0000000	/* FLT_MAX plus half an ulp: a tie */
	ALLRM fcvt_s_d_ovf, fcvt.s.d fa3, fa0, dyn

	/* --- min/max, signed zeros, NaNs --- */
	LD_D fa0, 0x8000000000000000	/* -0 */
	fmv.d.x fa1, zero		/* +0 */
	FOP fmin_m0_p0, fmin.d fa3, fa0, fa1
	FOP fmin_p0_m0, fmin.d fa3, fa1, fa0
	FOP fmax_m0_p0, fmax.d fa3, fa0, fa1
	LD_D fa0, 0x7ff8000000000000
	LD_D fa1, 0x4000000000000000
	FOP fmin_qnan_2, fmin.d fa3, fa0, fa1
	FOP fmax_2_qnan, fmax.d fa3, fa1, fa0
	LD_D fa0, 0x7ff4000000000000
	FOP fmin_snan_2, fmin.d fa3, fa0, fa1
	FOP fmax_snan_snan, fmax.d fa3, fa0, fa0
	LD_S fa0, 0x7fc00000
	LD_S fa1, 0xc0000000
	FOP fmin_s_qnan, fmin.s fa3, fa0, fa1

	/* --- compares --- */
	LD_D fa0, 0x7ff8000000000000	/* qNaN */
	LD_D fa1, 0x3ff0000000000000
	XOP feq_qnan, feq.d a3, fa0, fa1
	XOP flt_qnan, flt.d a3, fa0, fa1
	XOP fle_qnan, fle.d a3, fa1, fa0
	LD_D fa0, 0x7ff4000000000000	/* sNaN */
	XOP feq_snan, feq.d a3, fa0, fa1
	LD_D fa0, 0x8000000000000000
	fmv.d.x fa1, zero
	XOP feq_m0_p0, feq.d a3, fa0, fa1
	XOP flt_m0_p0, flt.d a3, fa0, fa1
	XOP fle_m0_p0, fle.d a3, fa0, fa1
	LD_S fa0, 0xbf800000
	LD_S fa1, 0x3f800000
	XOP flt_s, flt.s a3, fa0, fa1

	/* --- fclass: one bit per class --- */
	.irp bits, 0xfff0000000000000, 0xbff0000000000000, 0x800fffffffffffff, 0x8000000000000000, 0x0000000000000000, 0x0000000000000001, 0x3ff0000000000000, 0x7ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000
	LD_D fa0, \bits
	fclass.d a3, fa0
	SHOW fclass_d, a3
	.endr
	LD_S fa0, 0x7f800001
	fclass.s a3, fa0
	SHOW fclass_s_snan, a3
	LD_S fa0, 0x00000001
	fclass.s a3, fa0
	SHOW fclass_s_sub, a3

	/* --- sign injection and moves --- */
	LD_D fa0, 0x3ff0000000000000
	LD_D fa1, 0x8000000000000000
	FOP fsgnj_d, fsgnj.d fa3, fa0, fa1
	FOP fsgnjn_d, fsgnjn.d fa3, fa0, fa1
	FOP fsgnjx_d, fsgnjx.d fa3, fa1, fa1
	FOP fneg_d, fneg.d fa3, fa0
	FOP fabs_d, fabs.d fa3, fa1
	LD_S fa0, 0x80000000
	fmv.x.w a3, fa0			/* sign-extends the 32-bit pattern */
	SHOW fmv_x_w, a3
	RES nan_boxed, fa0		/* upper 32 bits are all ones */
	/* a double register used as single without valid boxing reads as the
	 * canonical NaN */
	LD_D fa0, 0x000000003f800000
	LD_S fa1, 0x3f800000
	FOP unboxed_add, fadd.s fa3, fa0, fa1
	FOP unboxed_sgnj, fsgnj.s fa3, fa0, fa1
	fmv.x.w a3, fa0			/* fmv.x.w ignores boxing: low 32 bits */
	SHOW unboxed_fmv_x_w, a3
	/* flw boxes, fsw stores only 32 bits */
	lla s0, fbuf
	li t0, 0x1122334455667788
	sd t0, 0(s0)
	flw fa0, 0(s0)
	RES flw_boxed, fa0
	LD_S fa1, 0xc0490fdb
	fsw fa1, 0(s0)
	ld t0, 0(s0)
	SHOW fsw_mem, t0
	fld fa2, 0(s0)
	fsd fa2, 8(s0)
	ld t0, 8(s0)
	SHOW fld_fsd, t0

	/* --- the floating-point CSRs --- */
	li t0, 0xff
	fscsr t1, t0			/* fcsr is 8 bits wide */
	frcsr t2
	SHOW fcsr_write_ff, t2
	frrm t2
	SHOW frm_view, t2
	frflags t2
	SHOW fflags_view, t2
	li t0, 0x2a
	fsflags t0
	frcsr t2
	SHOW fcsr_after_fsflags, t2
	fsrmi 1
	frcsr t2
	SHOW fcsr_after_fsrmi, t2
	li t0, 0x100			/* bits above 7 are ignored */
	csrw fcsr, t0
	frcsr t2
	SHOW fcsr_high_ignored, t2
	fscsr zero
	LD_D fa0, 0x3ff0000000000000
	LD_D fa1, 0x4008000000000000
	fdiv.d fa3, fa0, fa1
	fdiv.d fa3, fa1, fa0		/* flags accrue, never clear by themselves */
	frflags t2
	SHOW fflags_accrue, t2

	li a0, 0
	call rt_exit

	.data
	.balign 8
fbuf:	.zero 16
