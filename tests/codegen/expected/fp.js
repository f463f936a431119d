// codegen baseline 'fp': blockSource(block) (node tools/accept-codegen.js rewrites this file)
// H[0]: fadd.d
// H[1]: fmul.s
// H[2]: fcvt.int.d
// H[3]: feq.d
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n,t7=0n,t8=0n,t9=0n,t10=0n,t11=0n,t12=0n,t13=0n,t14=0n,t15=0n,t16=0n,t17=0n,t18=0n,t19=0n,t20=0n,t21=0n,t22=0n,t23=0n,t24=0n,t25=0n,t26=0n,t27=0n;
try{
ic=1;
t0=r[10];
t1=mem.load(t0,8);
r[42]=t1;
ic=2;
t2=r[10];
t3=0x8n;
t4=BigInt.asUintN(64,t2+t3);
t5=mem.load(t4,8);
r[43]=t5;
ic=3;
t6=r[42];
t7=r[43];
t8=0x2b57653n;
st.blockInsns=ic;t9=H[0].fn(st,t8,t6,t7,0n)??0n;r=st.regs;
r[44]=t9;
ic=4;
t10=r[42];
t11=r[43];
t12=0x10b576d3n;
st.blockInsns=ic;t13=H[1].fn(st,t12,t10,t11,0n)??0n;r=st.regs;
r[45]=t13;
ic=5;
t14=r[44];
t15=0xc20615d3n;
st.blockInsns=ic;t16=H[2].fn(st,t15,t14,0n,0n)??0n;r=st.regs;
r[11]=t16;
ic=6;
t17=r[42];
t18=r[43];
st.blockInsns=ic;t19=H[3].fn(st,t17,t18,0n,0n)??0n;r=st.regs;
r[12]=t19;
ic=7;
t20=r[10];
t21=0x10n;
t22=BigInt.asUintN(64,t20+t21);
t23=r[44];
mem.store(t22,8,t23);r=st.regs;
ic=8;
t24=r[1];
t25=0xfffffffffffffffen;
t26=t24&t25;
t27=0x10020n;
st.pc=t26;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
