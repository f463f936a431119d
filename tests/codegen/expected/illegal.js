// codegen baseline 'illegal': blockSource(block) (node tools/accept-codegen.js rewrites this file)
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n;
try{
ic=1;
t0=r[10];
t1=0x1n;
t2=BigInt.asUintN(64,t0+t1);
r[10]=t2;
ic=2;
t3=0xbn;
st.pc=P[ic>0?ic-1:0];st.excCause=2;st.excTval=t3;st.excPermission=false;st.blockInsns=ic;return 1;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
