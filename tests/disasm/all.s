# Every instruction rvscope decodes, plus the operand patterns that select
# objdump's aliases. Assembled with gen-expected.sh (binutils 2.40); the
# output, checked by hand, is the table in src/target/riscv/disasm.test.ts.
# Encodings binutils 2.40 does not accept are written as .insn words.
	.text
	.option norvc
# ---- RV64I
	lui	a0, 0xfffff
	auipc	a0, 0x12
	jal	a0, .+16
	jal	ra, .+8
	jal	zero, .-4
	jalr	a0, 8(a1)
	jalr	a0, 0(a1)
	jalr	zero, 0(ra)
	jalr	zero, 0(a1)
	jalr	zero, 8(a1)
	jalr	ra, 0(a1)
	jalr	ra, -8(a1)
	beq	a0, a1, .+16
	beq	a0, zero, .+16
	bne	a0, a1, .-16
	bne	a0, zero, .-16
	blt	a0, a1, .+8
	blt	a0, zero, .+8
	blt	zero, a1, .+8
	bge	a0, a1, .+8
	bge	a0, zero, .+8
	bge	zero, a1, .+8
	bltu	a0, a1, .+8
	bgeu	a0, a1, .+8
	lb	a0, -1(a1)
	lh	a0, 2(a1)
	lw	a0, 4(sp)
	ld	a0, -8(s0)
	lbu	a0, 0(a1)
	lhu	a0, 2047(a1)
	lwu	a0, -2048(a1)
	sb	a0, 1(a1)
	sh	a0, 2(a1)
	sw	a0, 4(a1)
	sd	ra, 8(sp)
	addi	a0, a1, -494
	addi	zero, zero, 0
	addi	a0, zero, -5
	addi	a0, a1, 0
	slti	a0, a1, 5
	sltiu	a0, a1, 5
	sltiu	a0, a1, 1
	xori	a0, a1, 0x123
	xori	a0, a1, -1
	ori	a0, a1, -2
	andi	a0, a1, 0xf0
	andi	a0, a1, 255
	slli	a0, a1, 63
	srli	a0, a1, 32
	srai	a0, a1, 1
	add	a0, a1, a2
	add	a0, zero, a2
	sub	a0, a1, a2
	sub	a0, zero, a2
	sll	a0, a1, a2
	slt	a0, a1, a2
	slt	a0, a1, zero
	slt	a0, zero, a2
	sltu	a0, a1, a2
	sltu	a0, zero, a2
	xor	a0, a1, a2
	srl	a0, a1, a2
	sra	a0, a1, a2
	or	a0, a1, a2
	and	a0, a1, a2
	fence	iorw, iorw
	fence	rw, w
	fence	r, r
	fence.tso
	.insn	0x0000000f		# fence with empty sets
	ecall
	ebreak
	addiw	a0, a1, -1
	addiw	a0, a1, 0
	slliw	a0, a1, 31
	srliw	a0, a1, 1
	sraiw	a0, a1, 16
	addw	a0, a1, a2
	subw	a0, a1, a2
	subw	a0, zero, a2
	sllw	a0, a1, a2
	srlw	a0, a1, a2
	sraw	a0, a1, a2
# ---- Zifencei, Zihintpause
	fence.i
	pause
# ---- M
	mul	a0, a1, a2
	mulh	a0, a1, a2
	mulhsu	a0, a1, a2
	mulhu	a0, a1, a2
	div	a0, a1, a2
	divu	a0, a1, a2
	rem	a0, a1, a2
	remu	a0, a1, a2
	mulw	a0, a1, a2
	divw	a0, a1, a2
	divuw	a0, a1, a2
	remw	a0, a1, a2
	remuw	a0, a1, a2
# ---- A
	lr.w	a0, (a1)
	sc.w	a0, a1, (a2)
	amoswap.w	a0, a1, (a2)
	amoadd.w.aqrl	a0, a1, (a2)
	amoxor.w.aq	a0, a1, (a2)
	amoand.w.rl	a0, a1, (a2)
	amoor.w	a0, a1, (a2)
	amomin.w	a0, a1, (a2)
	amomax.w	a0, a1, (a2)
	amominu.w	a0, a1, (a2)
	amomaxu.w	a0, a1, (a2)
	lr.d.aq	a0, (a1)
	sc.d.rl	a0, a1, (a2)
	amoswap.d.aqrl	a0, a1, (a2)
	amoadd.d	a0, a1, (a2)
	amoxor.d	a0, a1, (a2)
	amoand.d	a0, a1, (a2)
	amoor.d	a0, a1, (a2)
	amomin.d	a0, a1, (a2)
	amomax.d	a0, a1, (a2)
	amominu.d	a0, a1, (a2)
	amomaxu.d	a0, a1, (a2)
# ---- Zicsr
	csrrw	a0, 0x7c0, a1
	csrrw	zero, 0x7c0, a1
	csrrw	zero, fcsr, a1
	csrrw	a0, frm, a1
	csrrw	zero, cycle, zero
	csrrs	a0, mstatus, a1
	csrrs	zero, 0x7c0, a1
	csrrs	a0, 0x7c0, zero
	csrrs	a0, fflags, zero
	csrrs	a0, time, zero
	csrrs	a0, hpmcounter3, zero
	csrrc	a0, 0x7c0, a1
	csrrc	zero, fflags, a1
	csrrwi	a0, 0x7c0, 1
	csrrwi	zero, 0x7c0, 1
	csrrwi	zero, frm, 2
	csrrwi	a0, fflags, 0
	csrrsi	a0, 0x7c0, 31
	csrrsi	zero, 0x7c0, 31
	csrrci	a0, 0x7c0, 4
	csrrci	zero, 0x7c0, 4
	csrrs	a0, cycleh, zero
	csrrw	zero, frm, zero
	csrrs	zero, fcsr, zero
# ---- F
	flw	fa0, -8(a1)
	fsw	fa0, 12(sp)
	fmadd.s	fa0, fa1, fa2, fa3
	fmsub.s	fa0, fa1, fa2, fa3, rtz
	fnmsub.s	ft0, ft1, ft2, ft3, rne
	fnmadd.s	fs0, fs1, fs2, fs3, rmm
	fadd.s	fa0, fa1, fa2
	fadd.s	fa0, fa1, fa2, rne
	fsub.s	fa0, fa1, fa2, rdn
	fmul.s	fa0, fa1, fa2, rup
	fdiv.s	fa0, fa1, fa2
	.insn	0x00c5d553		# fadd.s with reserved rm 5
	fsqrt.s	fa0, fa1
	fsgnj.s	fa0, fa1, fa2
	fsgnj.s	fa0, fa1, fa1
	fsgnjn.s	fa0, fa1, fa2
	fsgnjn.s	fa0, fa1, fa1
	fsgnjx.s	fa0, fa1, fa2
	fsgnjx.s	fa0, fa1, fa1
	fmin.s	fa0, fa1, fa2
	fmax.s	fa0, fa1, fa2
	fcvt.w.s	a0, fa0, rtz
	fcvt.wu.s	a0, fa0
	fcvt.l.s	a0, fa0, rmm
	fcvt.lu.s	a0, fa0
	fcvt.s.w	fa0, a0
	fcvt.s.wu	fa0, a0, rtz
	fcvt.s.l	fa0, a0
	fcvt.s.lu	fa0, a0, rdn
	fmv.x.w	a0, fa0
	fmv.w.x	fa0, a0
	fclass.s	a0, fa0
	feq.s	a0, fa0, fa1
	flt.s	a0, fa0, fa1
	fle.s	a0, fa0, fa1
	fcvt.s.d	fa0, fa1
	fcvt.s.d	fa0, fa1, rne
# ---- D
	fld	fa0, 8(a1)
	fsd	fa0, -16(sp)
	fmadd.d	fa0, fa1, fa2, fa3
	fmsub.d	fa0, fa1, fa2, fa3
	fnmsub.d	fa0, fa1, fa2, fa3, rup
	fnmadd.d	fa0, fa1, fa2, fa3
	fadd.d	fa0, fa1, fa2, rtz
	fsub.d	fa0, fa1, fa2
	fmul.d	fa0, fa1, fa2
	fdiv.d	fa0, fa1, fa2, rmm
	fsqrt.d	ft11, fs11
	fsgnj.d	fa0, fa1, fa2
	fsgnj.d	fa0, fa1, fa1
	fsgnjn.d	fa0, fa1, fa1
	fsgnjx.d	fa0, fa1, fa1
	fmin.d	fa0, fa1, fa2
	fmax.d	fa0, fa1, fa2
	fcvt.w.d	a0, fa0, rtz
	fcvt.wu.d	a0, fa0
	fcvt.l.d	a0, fa0
	fcvt.lu.d	a0, fa0, rtz
	fcvt.d.w	fa0, a0
	.insn	0xd2051553		# fcvt.d.w rtz: binutils 2.40 prints .4byte
	fcvt.d.wu	fa0, a0
	fcvt.d.l	fa0, a0
	fcvt.d.lu	fa0, a0, rne
	fmv.x.d	a0, fa0
	fmv.d.x	fa0, a0
	fclass.d	a0, fa0
	feq.d	a0, fa0, fa1
	flt.d	a0, fa0, fa1
	fle.d	a0, fa0, fa1
	fcvt.d.s	fa0, fa1
	.insn	0x4205f553		# fcvt.d.s dyn: binutils 2.40 prints .4byte
# ---- Zba
	add.uw	a0, a1, a2
	add.uw	a0, a1, zero
	sh1add	a0, a1, a2
	sh2add	a0, a1, a2
	sh3add	a0, a1, a2
	sh1add.uw	a0, a1, a2
	sh2add.uw	a0, a1, a2
	sh3add.uw	a0, a1, a2
	slli.uw	a0, a1, 32
# ---- Zbb
	andn	a0, a1, a2
	orn	a0, a1, a2
	xnor	a0, a1, a2
	clz	a0, a1
	ctz	a0, a1
	cpop	a0, a1
	sext.b	a0, a1
	sext.h	a0, a1
	clzw	a0, a1
	ctzw	a0, a1
	cpopw	a0, a1
	max	a0, a1, a2
	maxu	a0, a1, a2
	min	a0, a1, a2
	minu	a0, a1, a2
	zext.h	a0, a1
	rol	a0, a1, a2
	rolw	a0, a1, a2
	ror	a0, a1, a2
	rorw	a0, a1, a2
	rori	a0, a1, 63
	roriw	a0, a1, 31
	orc.b	a0, a1
	rev8	a0, a1
# ---- Zbc
	clmul	a0, a1, a2
	clmulr	a0, a1, a2
	clmulh	a0, a1, a2
# ---- Zbs
	bclr	a0, a1, a2
	bclri	a0, a1, 63
	bext	a0, a1, a2
	bexti	a0, a1, 0
	binv	a0, a1, a2
	binvi	a0, a1, 33
	bset	a0, a1, a2
	bseti	a0, a1, 7
# ---- Zicond (binutils 2.40 does not know it)
	.insn	0x0ec5d533		# czero.eqz a0, a1, a2
	.insn	0x0ec5f533		# czero.nez a0, a1, a2
# ---- C
	.option rvc
	c.addi4spn	a0, sp, 8
	c.fld	fa0, 8(a1)
	c.lw	a0, 4(a1)
	c.ld	a0, 8(a1)
	c.fsd	fa0, 16(a1)
	c.sw	a0, 4(a1)
	c.sd	a0, 8(a1)
	c.nop
	.insn	0x0005			# c.addi zero, 1 (HINT)
	c.addi	a0, -1
	.insn	0x0501			# c.addi a0, 0 (HINT)
	c.addiw	a0, 1
	c.addiw	a0, 0
	c.li	a0, -32
	.insn	0x4015			# c.li zero, 5 (HINT)
	c.addi16sp	sp, -16
	c.lui	a0, 0x1f
	c.lui	a0, 0xfffe0
	.insn	0x6005			# c.lui zero, 1 (HINT)
	c.srli	a0, 1
	.insn	0x8101			# c.srli a0, 0 (HINT)
	c.srai	a0, 63
	c.andi	a0, -32
	c.sub	a0, a1
	c.xor	a0, a1
	c.or	a0, a1
	c.and	a0, a1
	c.subw	a0, a1
	c.addw	a0, a1
	c.j	.+8
	c.beqz	a0, .-8
	c.bnez	a0, .+16
	c.slli	a0, 2
	.insn	0x0002			# c.slli zero, 0 (HINT)
	.insn	0x0016			# c.slli zero, 5 (HINT)
	c.fldsp	fa0, 8(sp)
	c.lwsp	a0, 4(sp)
	c.ldsp	ra, 8(sp)
	c.jr	ra
	c.jr	a0
	c.mv	a0, a1
	.insn	0x802a			# c.mv zero, a0 (HINT)
	c.ebreak
	c.jalr	a0
	c.add	a0, a1
	.insn	0x902a			# c.add zero, a0 (HINT)
	c.fsdsp	fa0, 8(sp)
	c.swsp	a0, 4(sp)
	c.sdsp	ra, 8(sp)
	.insn	0x0000			# the all-zero parcel: defined illegal
