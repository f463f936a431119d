// codegen baseline 'amo-lrsc': blockSource(block) (node tools/accept-codegen.js rewrites this file)
// H[0]: check_align
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n,t7=0n,t8=0n,t9=0n,t10=0n,t11=0n,t12=0n,t13=0n,t14=0n,t15=0n,t16=0n,t17=0n,t18=0n,t19=0n,t20=0n,t21=0n,t22=0n,t23=0n,t24=0n,t25=0n,t26=0n,t27=0n,t28=0n,t29=0n,t30=0n,t31=0n,t32=0n,t33=0n,t34=0n,t35=0n,t36=0n;
try{
ic=1;
t0=r[12];
t1=0x7n;
t2=0x6n;
st.blockInsns=ic;H[0].fn(st,t0,t1,t2,0n);r=st.regs;
t3=mem.load(t0,8);
t4=r[11];
t5=BigInt.asUintN(64,t3+t4);
mem.store(t0,8,t5);r=st.regs;
r[10]=t3;
ic=2;
t6=r[12];
t7=0x3n;
t8=0x6n;
st.blockInsns=ic;H[0].fn(st,t6,t7,t8,0n);r=st.regs;
t9=BigInt.asUintN(64,BigInt.asIntN(32,mem.load(t6,4)));
t10=r[11];
mem.store(t6,4,t10);r=st.regs;
r[13]=t9;
ic=3;
t11=r[12];
t12=0x7n;
t13=0x4n;
st.blockInsns=ic;H[0].fn(st,t11,t12,t13,0n);r=st.regs;
t14=mem.load(t11,8);
r[65]=t11;
r[66]=t14;
t15=0x8n;
r[67]=t15;
r[14]=t14;
ic=4;
t16=r[12];
t17=0x7n;
t18=0x6n;
st.blockInsns=ic;H[0].fn(st,t16,t17,t18,0n);r=st.regs;
t19=r[65];
t20=t16===t19?1n:0n;
t21=r[67];
t22=0x8n;
t23=t21===t22?1n:0n;
t24=t20&t23;
t25=t24!==0n?mem.load(t16,8):0n;
t26=r[11];
t27=r[66];
t28=t25===t27?1n:0n;
t29=t24&t28;
t30=t29!==0n?t26:t25;
if(t24!==0n){mem.store(t16,8,t30);r=st.regs;}
t31=0xffffffffffffffffn;
r[65]=t31;
t32=0x1n;
t33=t29^t32;
r[15]=t33;
ic=5;
t34=r[15];
t35=0x0n;
t36=t34!==t35?1n:0n;
if(t36!==0n){st.pc=0x10008n;st.blockInsns=ic;return 0;}
st.pc=0x10014n;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
