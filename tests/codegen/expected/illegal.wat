;; codegen baseline 'illegal': compileModule([block]) as wabt prints it (node tools/accept-codegen.js rewrites this file)
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
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i32 i32 i32 i32 i32)
    local.get 0
    i64.load offset=80
    local.set 10
    local.get 10
    local.set 2
    i64.const 1
    local.set 3
    local.get 2
    local.get 3
    i64.add
    local.set 4
    local.get 4
    local.set 10
    i64.const 11
    local.set 5
    local.get 5
    global.set 1
    i64.const 65540
    global.set 3
    local.get 0
    local.get 10
    i64.store offset=80
    i32.const 196610
    return
    unreachable)
  (export "f0" (func 4)))
