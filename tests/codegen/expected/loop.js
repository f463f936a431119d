// codegen baseline 'loop': blockSource(block) (node tools/accept-codegen.js rewrites this file)
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n;
try{
ic=1;
t0=r[10];
t1=0xffffffffffffffffn;
t2=BigInt.asUintN(64,t0+t1);
r[10]=t2;
ic=2;
t3=r[10];
t4=0x0n;
t5=t3!==t4?1n:0n;
if(t5!==0n){st.pc=0x10000n;st.blockInsns=ic;return 0;}
st.pc=0x10008n;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
