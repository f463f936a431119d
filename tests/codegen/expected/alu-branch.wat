;; codegen baseline 'alu-branch': compileModule([block]) as wabt prints it (node tools/accept-codegen.js rewrites this file)
;; f0 leaves the next PC in global 3 (npc) and returns the instructions reached;
;; an exception returns (cause + 1) << 16 | instructions reached, the faulting PC in npc, tval in global 1
(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func (param i32 i32 i32) (result i32)))
  (type (;2;) (func (param i64 i32) (result i64)))
  (type (;3;) (func (param i64 i32 i64)))
  (type (;4;) (func (param i32 i32 i64 i64) (result i32)))
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
  (func (;4;) (type 0) (param i32 i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32 i32 i32 i32 i32)
    local.get 0
    i64.load offset=80
    local.set 35
    local.get 0
    i64.load offset=88
    local.set 36
    local.get 0
    i64.load offset=96
    local.set 37
    local.get 0
    i64.load offset=104
    local.set 38
    local.get 0
    i64.load offset=112
    local.set 39
    local.get 0
    i64.load offset=120
    local.set 40
    local.get 35
    local.set 2
    i64.const 1
    local.set 3
    local.get 2
    local.get 3
    i64.add
    local.set 4
    local.get 4
    local.set 35
    local.get 36
    local.set 5
    local.get 35
    local.set 6
    local.get 5
    local.get 6
    i64.add
    local.set 7
    local.get 7
    local.set 36
    local.get 36
    local.set 8
    i64.const 3
    local.set 9
    local.get 8
    local.get 9
    i64.shl
    local.set 10
    local.get 10
    local.set 37
    local.get 37
    local.set 11
    local.get 35
    local.set 12
    local.get 11
    local.get 12
    i64.xor
    local.set 13
    local.get 13
    local.set 38
    local.get 38
    local.set 14
    local.get 36
    local.set 15
    local.get 14
    local.get 15
    i64.lt_u
    i64.extend_i32_u
    local.set 16
    local.get 16
    local.set 39
    local.get 35
    local.set 17
    i64.const -1
    local.set 18
    local.get 17
    local.get 18
    i64.add
    local.set 19
    local.get 19
    i64.extend32_s
    local.set 20
    local.get 20
    local.set 40
    local.get 40
    local.set 21
    local.get 21
    i64.extend32_s
    local.set 22
    local.get 39
    local.set 23
    i64.const 31
    local.set 24
    local.get 23
    local.get 24
    i64.and
    local.set 25
    local.get 22
    local.get 25
    i64.shr_s
    local.set 26
    local.get 26
    i64.extend32_s
    local.set 27
    local.get 27
    local.set 40
    local.get 39
    local.set 28
    i64.const 0
    local.set 29
    local.get 28
    local.get 29
    i64.ne
    i64.extend_i32_u
    local.set 30
    local.get 30
    i64.eqz
    i32.eqz
    if  ;; label = @1
      i64.const 65540
      global.set 3
      local.get 0
      local.get 35
      i64.store offset=80
      local.get 0
      local.get 36
      i64.store offset=88
      local.get 0
      local.get 37
      i64.store offset=96
      local.get 0
      local.get 38
      i64.store offset=104
      local.get 0
      local.get 39
      i64.store offset=112
      local.get 0
      local.get 40
      i64.store offset=120
      i32.const 8
      return
    end
    i64.const 65568
    global.set 3
    local.get 0
    local.get 35
    i64.store offset=80
    local.get 0
    local.get 36
    i64.store offset=88
    local.get 0
    local.get 37
    i64.store offset=96
    local.get 0
    local.get 38
    i64.store offset=104
    local.get 0
    local.get 39
    i64.store offset=112
    local.get 0
    local.get 40
    i64.store offset=120
    i32.const 8
    return
    unreachable)
  (export "f0" (func 4)))
