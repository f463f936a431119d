// codegen baseline 'compressed': blockSource(block) (node tools/accept-codegen.js rewrites this file)
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n,t7=0n,t8=0n,t9=0n,t10=0n,t11=0n,t12=0n,t13=0n,t14=0n,t15=0n,t16=0n,t17=0n,t18=0n,t19=0n,t20=0n,t21=0n,t22=0n,t23=0n,t24=0n,t25=0n;
try{
ic=1;
t0=0x0n;
t1=0x5n;
t2=BigInt.asUintN(64,t0+t1);
r[10]=t2;
ic=2;
t3=r[10];
t4=0x1n;
t5=BigInt.asUintN(64,t3+t4);
r[10]=t5;
ic=3;
t6=0x0n;
t7=r[10];
t8=BigInt.asUintN(64,t6+t7);
r[11]=t8;
ic=4;
t9=r[11];
t10=0x4n;
t11=BigInt.asUintN(64,t9+t10);
t12=BigInt.asUintN(64,BigInt.asIntN(32,mem.load(t11,4)));
r[12]=t12;
ic=5;
t13=r[10];
t14=0x8n;
t15=BigInt.asUintN(64,t13+t14);
t16=r[12];
mem.store(t15,4,t16);r=st.regs;
ic=6;
t17=r[12];
t18=0x2n;
t19=BigInt.asUintN(64,t17<<(t18&63n));
r[12]=t19;
ic=7;
t20=r[12];
t21=r[11];
t22=BigInt.asUintN(64,t20+t21);
r[12]=t22;
ic=8;
t23=r[10];
t24=0x0n;
t25=t23===t24?1n:0n;
if(t25!==0n){st.pc=0x10000n;st.blockInsns=ic;return 0;}
st.pc=0x10010n;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
