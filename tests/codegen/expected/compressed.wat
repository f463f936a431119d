;; codegen baseline 'compressed': compileModule([block]) as wabt prints it (node tools/accept-codegen.js rewrites this file)
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
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32 i32 i32 i32 i32)
    local.get 0
    i64.load offset=80
    local.set 33
    local.get 0
    i64.load offset=88
    local.set 34
    local.get 0
    i64.load offset=96
    local.set 35
    global.get 4
    local.set 39
    global.get 5
    local.set 40
    local.get 0
    i32.load offset=4088
    if  ;; label = @1
      i32.const 0
      local.set 40
    end
    local.get 2
    local.set 38
    loop  ;; label = @1
      block  ;; label = @2
        local.get 38
        br_table 0 (;@2;) 0 (;@2;)
      end
      loop  ;; label = @2
        i64.const 0
        local.set 3
        i64.const 5
        local.set 4
        local.get 3
        local.get 4
        i64.add
        local.set 5
        local.get 5
        local.set 33
        local.get 33
        local.set 6
        i64.const 1
        local.set 7
        local.get 6
        local.get 7
        i64.add
        local.set 8
        local.get 8
        local.set 33
        i64.const 0
        local.set 9
        local.get 33
        local.set 10
        local.get 9
        local.get 10
        i64.add
        local.set 11
        local.get 11
        local.set 34
        local.get 34
        local.set 12
        i64.const 4
        local.set 13
        local.get 12
        local.get 13
        i64.add
        local.set 14
        local.get 14
        i64.const 12
        i64.shr_u
        local.tee 29
        i32.wrap_i64
        i32.const 8191
        i32.and
        i32.const 4
        i32.shl
        local.get 1
        i32.add
        local.tee 36
        i64.load
        local.get 29
        i64.eq
        local.get 14
        i32.wrap_i64
        i32.const 4095
        i32.and
        local.set 37
        local.get 37
        i32.const 4092
        i32.le_u
        i32.and
        if (result i64)  ;; label = @3
          local.get 36
          i32.load offset=8
          local.get 37
          i32.add
          i64.load32_s
        else
          local.get 0
          local.get 33
          i64.store offset=80
          local.get 0
          local.get 34
          i64.store offset=88
          local.get 0
          local.get 35
          i64.store offset=96
          i32.const 4
          global.set 0
          local.get 39
          global.set 4
          local.get 14
          i32.const 4
          call 0
          local.get 0
          i32.load offset=4088
          if  ;; label = @4
            i32.const 0
            local.set 40
          end
          i64.extend32_s
        end
        local.set 15
        local.get 15
        local.set 35
        local.get 33
        local.set 16
        i64.const 8
        local.set 17
        local.get 16
        local.get 17
        i64.add
        local.set 18
        local.get 35
        local.set 19
        local.get 18
        i64.const 12
        i64.shr_u
        local.tee 29
        i32.wrap_i64
        i32.const 8191
        i32.and
        i32.const 4
        i32.shl
        local.get 1
        i32.add
        local.tee 36
        i64.load offset=131072
        local.get 29
        i64.eq
        local.get 18
        i32.wrap_i64
        i32.const 4095
        i32.and
        local.set 37
        local.get 37
        i32.const 4092
        i32.le_u
        i32.and
        if  ;; label = @3
          local.get 36
          i32.load offset=131080
          local.get 37
          i32.add
          local.get 19
          i64.store32
        else
          local.get 0
          local.get 33
          i64.store offset=80
          local.get 0
          local.get 34
          i64.store offset=88
          local.get 0
          local.get 35
          i64.store offset=96
          i32.const 5
          global.set 0
          local.get 39
          global.set 4
          local.get 18
          i32.const 4
          local.get 19
          call 1
          local.get 0
          i32.load offset=4088
          if  ;; label = @4
            i32.const 0
            local.set 40
          end
        end
        local.get 35
        local.set 20
        i64.const 2
        local.set 21
        local.get 20
        local.get 21
        i64.shl
        local.set 22
        local.get 22
        local.set 35
        local.get 35
        local.set 23
        local.get 34
        local.set 24
        local.get 23
        local.get 24
        i64.add
        local.set 25
        local.get 25
        local.set 35
        local.get 33
        local.set 26
        i64.const 0
        local.set 27
        local.get 26
        local.get 27
        i64.eq
        i64.extend_i32_u
        local.set 28
        local.get 28
        i64.eqz
        i32.eqz
        if  ;; label = @3
          local.get 39
          i32.const 8
          i32.add
          local.tee 39
          local.get 40
          i32.lt_u
          if  ;; label = @4
            br 2 (;@2;)
          end
          i64.const 65536
          global.set 3
          local.get 0
          local.get 33
          i64.store offset=80
          local.get 0
          local.get 34
          i64.store offset=88
          local.get 0
          local.get 35
          i64.store offset=96
          local.get 39
          global.set 4
          i32.const 0
          return
        end
        i64.const 65552
        global.set 3
        local.get 0
        local.get 33
        i64.store offset=80
        local.get 0
        local.get 34
        i64.store offset=88
        local.get 0
        local.get 35
        i64.store offset=96
        local.get 39
        global.set 4
        i32.const 8
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
