// codegen baseline 'instrumented': blockSource(block) (node tools/accept-codegen.js rewrites this file)
// H[0]: demo:tb@0x10000
// H[1]: cell [*64 + vcpu*16 + 0]
// H[2]: cell [*64 + vcpu*16 + 8]
// H[3]: cell [*68 + vcpu*8 + 0]
// H[4]: demo:mem@0x10000
// H[5]: demo:mem@0x10008
let r=st.regs;const mem=st.mem;let ic=0;
let t0=0n,t1=0n,t2=0n,t3=0n,t4=0n,t5=0n,t6=0n,t7=0n,t8=0n,t9=0n,t10=0n,t11=0n,t12=0n,t13=0n,t14=0n,t15=0n,t16=0n,t17=0n,t18=0n,t19=0n,t20=0n,t21=0n,t22=0n,t23=0n,t24=0n,t25=0n,t26=0n,t27=0n,t28=0n,t29=0n,t30=0n,t31=0n,t32=0n,t33=0n;
try{
ic=1;
{st.blockInsns=ic;const to=H[0].call(st,0n,0n);r=st.regs;if(to!==undefined){st.pc=to;st.blockInsns=0;return 0;}}
t10=0x1n;
t11=st.cellGet(H[1]);
t12=BigInt.asUintN(64,t11+t10);
st.cellSet(H[1],t12);
t0=r[10];
t1=BigInt.asUintN(64,BigInt.asIntN(32,mem.load(t0,4)));
t13=0x1n;
t14=st.cellGet(H[2]);
t15=BigInt.asUintN(64,t14+t13);
st.cellSet(H[2],t15);
t16=st.cellGet(H[3]);
t17=0x0n;
t18=t16!==t17?1n:0n;
if(t18!==0n){st.blockInsns=ic;H[4].call(st,t0,t1);r=st.regs;}
r[11]=t1;
ic=2;
t19=0x1n;
t20=st.cellGet(H[1]);
t21=BigInt.asUintN(64,t20+t19);
st.cellSet(H[1],t21);
t2=r[11];
t3=0x1n;
t4=BigInt.asUintN(64,t2+t3);
r[11]=t4;
ic=3;
t22=0x1n;
t23=st.cellGet(H[1]);
t24=BigInt.asUintN(64,t23+t22);
st.cellSet(H[1],t24);
t5=r[10];
t6=r[11];
mem.store(t5,4,t6);r=st.regs;
t25=0x1n;
t26=st.cellGet(H[2]);
t27=BigInt.asUintN(64,t26+t25);
st.cellSet(H[2],t27);
t28=st.cellGet(H[3]);
t29=0x0n;
t30=t28!==t29?1n:0n;
if(t30!==0n){st.blockInsns=ic;H[5].call(st,t5,t6);r=st.regs;}
ic=4;
t31=0x1n;
t32=st.cellGet(H[1]);
t33=BigInt.asUintN(64,t32+t31);
st.cellSet(H[1],t33);
t7=r[11];
t8=0x0n;
t9=t7!==t8?1n:0n;
if(t9!==0n){st.pc=0x10000n;st.blockInsns=ic;return 0;}
st.pc=0x10010n;st.blockInsns=ic;return 0;
}catch(e){st.blockInsns=ic;return F(st,e,P[ic>0?ic-1:0]);}
throw new Error('block without terminator');
