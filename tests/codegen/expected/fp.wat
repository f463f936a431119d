;; codegen baseline 'fp': compileModule([block]) as wabt prints it (node tools/accept-codegen.js rewrites this file)
;; f0 leaves the next PC in global 3 (npc) and returns the instructions reached;
;; an exception returns (cause + 1) << 16 | instructions reached, the faulting PC in npc, tval in global 1
;; import h0: helper fadd.d
;; import h1: helper fmul.s
;; import h2: helper fcvt.int.d
;; import h3: helper feq.d
(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func (param i32 i32 i32) (result i32)))
  (type (;2;) (func (param i64 i32) (result i64)))
  (type (;3;) (func (param i64 i32 i64)))
  (type (;4;) (func (param i32 i32 i64 i64) (result i32)))
  (type (;5;) (func (param i32 i64 i64 i64) (result i64)))
  (type (;6;) (func (param i32 i64 i64) (result i64)))
  (import "e" "mem" (memory (;0;) 0))
  (import "e" "ic" (global (;0;) (mut i32)))
  (import "e" "val" (global (;1;) (mut i64)))
  (import "e" "vcpu" (global (;2;) (mut i32)))
  (import "e" "npc" (global (;3;) (mut i64)))
  (import "e" "done" (global (;4;) (mut i32)))
  (import "e" "budget" (global (;5;) (mut i32)))
  (import "e" "ld" (func (;0;) (type 2)))
  (import "e" "st" (func (;1;) (type 3)))
  (import "e" "ins" (func (;2;) (type 4)))
  (import "e" "ins0" (func (;3;) (type 0)))
  (import "e" "h0" (func (;4;) (type 5)))
  (import "e" "h1" (func (;5;) (type 5)))
  (import "e" "h2" (func (;6;) (type 6)))
  (import "e" "h3" (func (;7;) (type 6)))
  (func (;8;) (type 0) (param i32 i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32 i32 i32 i32 i32)
    local.get 0
    i64.load offset=8
    local.set 45
    local.get 0
    i64.load offset=80
    local.set 46
    local.get 0
    i64.load offset=88
    local.set 47
    local.get 0
    i64.load offset=96
    local.set 48
    local.get 0
    i64.load offset=336
    local.set 49
    local.get 0
    i64.load offset=344
    local.set 50
    local.get 0
    i64.load offset=352
    local.set 51
    local.get 0
    i64.load offset=360
    local.set 52
    local.get 0
    i64.load offset=512
    local.set 53
    local.get 46
    local.set 2
    local.get 2
    i64.const 12
    i64.shr_u
    local.tee 41
    i32.wrap_i64
    i32.const 8191
    i32.and
    i32.const 4
    i32.shl
    local.get 1
    i32.add
    local.tee 54
    i64.load
    local.get 41
    i64.eq
    local.get 2
    i32.wrap_i64
    i32.const 4095
    i32.and
    local.set 55
    local.get 55
    i32.const 4088
    i32.le_u
    i32.and
    if (result i64)  ;; label = @1
      local.get 54
      i32.load offset=8
      local.get 55
      i32.add
      i64.load
    else
      local.get 0
      local.get 47
      i64.store offset=88
      local.get 0
      local.get 48
      i64.store offset=96
      local.get 0
      local.get 49
      i64.store offset=336
      local.get 0
      local.get 50
      i64.store offset=344
      local.get 0
      local.get 51
      i64.store offset=352
      local.get 0
      local.get 52
      i64.store offset=360
      i32.const 1
      global.set 0
      local.get 2
      i32.const 8
      call 0
    end
    local.set 3
    local.get 3
    local.set 49
    local.get 46
    local.set 4
    i64.const 8
    local.set 5
    local.get 4
    local.get 5
    i64.add
    local.set 6
    local.get 6
    i64.const 12
    i64.shr_u
    local.tee 41
    i32.wrap_i64
    i32.const 8191
    i32.and
    i32.const 4
    i32.shl
    local.get 1
    i32.add
    local.tee 54
    i64.load
    local.get 41
    i64.eq
    local.get 6
    i32.wrap_i64
    i32.const 4095
    i32.and
    local.set 55
    local.get 55
    i32.const 4088
    i32.le_u
    i32.and
    if (result i64)  ;; label = @1
      local.get 54
      i32.load offset=8
      local.get 55
      i32.add
      i64.load
    else
      local.get 0
      local.get 47
      i64.store offset=88
      local.get 0
      local.get 48
      i64.store offset=96
      local.get 0
      local.get 49
      i64.store offset=336
      local.get 0
      local.get 50
      i64.store offset=344
      local.get 0
      local.get 51
      i64.store offset=352
      local.get 0
      local.get 52
      i64.store offset=360
      i32.const 2
      global.set 0
      local.get 6
      i32.const 8
      call 0
    end
    local.set 7
    local.get 7
    local.set 50
    local.get 49
    local.set 8
    local.get 50
    local.set 9
    i64.const 45446739
    local.set 10
    local.get 53
    local.set 11
    i64.const 225
    local.set 12
    local.get 11
    local.get 12
    i64.and
    local.set 13
    i64.const 1
    local.set 14
    local.get 13
    local.get 14
    i64.eq
    i64.extend_i32_u
    local.set 15
    local.get 8
    f64.reinterpret_i64
    local.get 9
    f64.reinterpret_i64
    f64.add
    i64.reinterpret_f64
    local.set 16
    i64.const 9223372036854775807
    local.set 17
    local.get 16
    local.get 17
    i64.and
    local.set 18
    i64.const 9218868437227405312
    local.set 19
    local.get 18
    local.get 19
    i64.lt_u
    i64.extend_i32_u
    local.set 20
    local.get 15
    local.get 20
    i64.and
    local.set 21
    local.get 21
    i64.eqz
    if  ;; label = @1
      local.get 0
      local.get 47
      i64.store offset=88
      local.get 0
      local.get 48
      i64.store offset=96
      local.get 0
      local.get 49
      i64.store offset=336
      local.get 0
      local.get 50
      i64.store offset=344
      local.get 0
      local.get 51
      i64.store offset=352
      local.get 0
      local.get 52
      i64.store offset=360
      i32.const 3
      global.set 0
      global.get 4
      i32.const 3
      i32.add
      local.get 10
      local.get 8
      local.get 9
      call 4
      local.set 22
      local.get 0
      i64.load offset=8
      local.set 45
      local.get 0
      i64.load offset=80
      local.set 46
      local.get 0
      i64.load offset=88
      local.set 47
      local.get 0
      i64.load offset=96
      local.set 48
      local.get 0
      i64.load offset=336
      local.set 49
      local.get 0
      i64.load offset=344
      local.set 50
      local.get 0
      i64.load offset=352
      local.set 51
      local.get 0
      i64.load offset=360
      local.set 52
      local.get 0
      i64.load offset=512
      local.set 53
    else
      local.get 16
      local.set 22
    end
    local.get 22
    local.set 51
    local.get 49
    local.set 23
    local.get 50
    local.set 24
    i64.const 280327891
    local.set 25
    local.get 0
    local.get 47
    i64.store offset=88
    local.get 0
    local.get 48
    i64.store offset=96
    local.get 0
    local.get 49
    i64.store offset=336
    local.get 0
    local.get 50
    i64.store offset=344
    local.get 0
    local.get 51
    i64.store offset=352
    local.get 0
    local.get 52
    i64.store offset=360
    i32.const 4
    global.set 0
    global.get 4
    i32.const 4
    i32.add
    local.get 25
    local.get 23
    local.get 24
    call 5
    local.set 26
    local.get 0
    i64.load offset=8
    local.set 45
    local.get 0
    i64.load offset=80
    local.set 46
    local.get 0
    i64.load offset=88
    local.set 47
    local.get 0
    i64.load offset=96
    local.set 48
    local.get 0
    i64.load offset=336
    local.set 49
    local.get 0
    i64.load offset=344
    local.set 50
    local.get 0
    i64.load offset=352
    local.set 51
    local.get 0
    i64.load offset=360
    local.set 52
    local.get 0
    i64.load offset=512
    local.set 53
    local.get 26
    local.set 52
    local.get 51
    local.set 27
    i64.const 3255178707
    local.set 28
    local.get 0
    local.get 47
    i64.store offset=88
    local.get 0
    local.get 48
    i64.store offset=96
    local.get 0
    local.get 49
    i64.store offset=336
    local.get 0
    local.get 50
    i64.store offset=344
    local.get 0
    local.get 51
    i64.store offset=352
    local.get 0
    local.get 52
    i64.store offset=360
    i32.const 5
    global.set 0
    global.get 4
    i32.const 5
    i32.add
    local.get 28
    local.get 27
    call 6
    local.set 29
    local.get 0
    i64.load offset=8
    local.set 45
    local.get 0
    i64.load offset=80
    local.set 46
    local.get 0
    i64.load offset=88
    local.set 47
    local.get 0
    i64.load offset=96
    local.set 48
    local.get 0
    i64.load offset=336
    local.set 49
    local.get 0
    i64.load offset=344
    local.set 50
    local.get 0
    i64.load offset=352
    local.set 51
    local.get 0
    i64.load offset=360
    local.set 52
    local.get 0
    i64.load offset=512
    local.set 53
    local.get 29
    local.set 47
    local.get 49
    local.set 30
    local.get 50
    local.set 31
    local.get 0
    local.get 47
    i64.store offset=88
    local.get 0
    local.get 48
    i64.store offset=96
    local.get 0
    local.get 49
    i64.store offset=336
    local.get 0
    local.get 50
    i64.store offset=344
    local.get 0
    local.get 51
    i64.store offset=352
    local.get 0
    local.get 52
    i64.store offset=360
    i32.const 6
    global.set 0
    global.get 4
    i32.const 6
    i32.add
    local.get 30
    local.get 31
    call 7
    local.set 32
    local.get 0
    i64.load offset=8
    local.set 45
    local.get 0
    i64.load offset=80
    local.set 46
    local.get 0
    i64.load offset=88
    local.set 47
    local.get 0
    i64.load offset=96
    local.set 48
    local.get 0
    i64.load offset=336
    local.set 49
    local.get 0
    i64.load offset=344
    local.set 50
    local.get 0
    i64.load offset=352
    local.set 51
    local.get 0
    i64.load offset=360
    local.set 52
    local.get 0
    i64.load offset=512
    local.set 53
    local.get 32
    local.set 48
    local.get 46
    local.set 33
    i64.const 16
    local.set 34
    local.get 33
    local.get 34
    i64.add
    local.set 35
    local.get 51
    local.set 36
    local.get 35
    i64.const 12
    i64.shr_u
    local.tee 41
    i32.wrap_i64
    i32.const 8191
    i32.and
    i32.const 4
    i32.shl
    local.get 1
    i32.add
    local.tee 54
    i64.load offset=131072
    local.get 41
    i64.eq
    local.get 35
    i32.wrap_i64
    i32.const 4095
    i32.and
    local.set 55
    local.get 55
    i32.const 4088
    i32.le_u
    i32.and
    if  ;; label = @1
      local.get 54
      i32.load offset=131080
      local.get 55
      i32.add
      local.get 36
      i64.store
    else
      local.get 0
      local.get 47
      i64.store offset=88
      local.get 0
      local.get 48
      i64.store offset=96
      local.get 0
      local.get 49
      i64.store offset=336
      local.get 0
      local.get 50
      i64.store offset=344
      local.get 0
      local.get 51
      i64.store offset=352
      local.get 0
      local.get 52
      i64.store offset=360
      i32.const 7
      global.set 0
      local.get 35
      i32.const 8
      local.get 36
      call 1
    end
    local.get 45
    local.set 37
    i64.const -2
    local.set 38
    local.get 37
    local.get 38
    i64.and
    local.set 39
    i64.const 65568
    local.set 40
    local.get 39
    global.set 3
    local.get 0
    local.get 47
    i64.store offset=88
    local.get 0
    local.get 48
    i64.store offset=96
    local.get 0
    local.get 49
    i64.store offset=336
    local.get 0
    local.get 50
    i64.store offset=344
    local.get 0
    local.get 51
    i64.store offset=352
    local.get 0
    local.get 52
    i64.store offset=360
    i32.const 8
    return
    unreachable)
  (export "f0" (func 8)))
