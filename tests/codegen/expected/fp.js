// codegen baseline 'fp': blockSource(block) (node tools/accept-codegen.js rewrites this file)
// H[0]: fadd.d
// H[1]: fmul.s
// H[2]: fcvt.int.d
// H[3]: feq.d
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n,t7=0n,t8=0n,t9=0n,t10=0n,t11=0n,t12=0n,t13=0n,t14=0n,t15=0n,t16=0n,t17=0n,t18=0n,t19=0n,t20=0n,t21=0n,t22=0n,t23=0n,t24=0n,t25=0n,t26=0n,t27=0n,t28=0n,t29=0n,t30=0n,t31=0n,t32=0n,t33=0n,t34=0n,t35=0n,t36=0n,t37=0n,t38=0n;
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
st.blockInsns=ic;t20=H[0].fn(st,t8,t6,t7,0n)??0n;r=st.regs;
r[44]=t20;
ic=4;
t21=r[42];
t22=r[43];
t23=0x10b576d3n;
st.blockInsns=ic;t24=H[1].fn(st,t23,t21,t22,0n)??0n;r=st.regs;
r[45]=t24;
ic=5;
t25=r[44];
t26=0xc20615d3n;
st.blockInsns=ic;t27=H[2].fn(st,t26,t25,0n,0n)??0n;r=st.regs;
r[11]=t27;
ic=6;
t28=r[42];
t29=r[43];
st.blockInsns=ic;t30=H[3].fn(st,t28,t29,0n,0n)??0n;r=st.regs;
r[12]=t30;
ic=7;
t31=r[10];
t32=0x10n;
t33=BigInt.asUintN(64,t31+t32);
t34=r[44];
mem.store(t33,8,t34);r=st.regs;
ic=8;
t35=r[1];
t36=0xfffffffffffffffen;
t37=t35&t36;
t38=0x10020n;
st.pc=t37;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
