// codegen baseline 'ecall': blockSource(block) (node tools/accept-codegen.js rewrites this file)
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n;
try{
ic=1;
t0=0x0n;
t1=0x5dn;
t2=BigInt.asUintN(64,t0+t1);
r[17]=t2;
ic=2;
t3=0x0n;
t4=0x0n;
t5=BigInt.asUintN(64,t3+t4);
r[10]=t5;
ic=3;
t6=0x0n;
st.pc=P[ic>0?ic-1:0];st.excCause=8;st.excTval=t6;st.excPermission=false;st.blockInsns=ic;return 1;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
