;; codegen baseline 'loop': compileModule([block]) as wabt prints it (node tools/accept-codegen.js rewrites this file)
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
  (func (;4;) (type 1) (param i32 i32 i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32 i32 i32 i32 i32)
    local.get 0
    i64.load offset=80
    local.set 13
    global.get 4
    local.set 17
    global.get 5
    local.set 18
    local.get 0
    i32.load offset=4088
    if  ;; label = @1
      i32.const 0
      local.set 18
    end
    local.get 2
    local.set 16
    loop  ;; label = @1
      block  ;; label = @2
        local.get 16
        br_table 0 (;@2;) 0 (;@2;)
      end
      loop  ;; label = @2
        local.get 13
        local.set 3
        i64.const -1
        local.set 4
        local.get 3
        local.get 4
        i64.add
        local.set 5
        local.get 5
        local.set 13
        local.get 13
        local.set 6
        i64.const 0
        local.set 7
        local.get 6
        local.get 7
        i64.ne
        i64.extend_i32_u
        local.set 8
        local.get 8
        i64.eqz
        i32.eqz
        if  ;; label = @3
          local.get 17
          i32.const 2
          i32.add
          local.tee 17
          local.get 18
          i32.lt_u
          if  ;; label = @4
            br 2 (;@2;)
          end
          i64.const 65536
          global.set 3
          local.get 0
          local.get 13
          i64.store offset=80
          local.get 17
          global.set 4
          i32.const 0
          return
        end
        i64.const 65544
        global.set 3
        local.get 0
        local.get 13
        i64.store offset=80
        local.get 17
        global.set 4
        i32.const 2
        return
        unreachable
      end
    end
    unreachable)
  (func (;5;) (type 0) (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.const 0
    call 4)
  (export "f0" (func 5)))
