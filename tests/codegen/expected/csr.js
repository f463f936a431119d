// codegen baseline 'csr': blockSource(block) (node tools/accept-codegen.js rewrites this file)
// H[0]: csr
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n;
try{
ic=1;
t0=r[10];
t1=0x1n;
t2=BigInt.asUintN(64,t0+t1);
r[10]=t2;
ic=2;
t3=r[10];
t4=0xc003n;
t5=0x351673n;
st.blockInsns=ic;t6=H[0].fn(st,t4,t3,t5,0n)??0n;r=st.regs;
r[12]=t6;
st.pc=0x10008n;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
