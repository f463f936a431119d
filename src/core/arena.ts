/**
 * The engine's single WebAssembly.Memory and its page-frame allocator.
 *
 * Guest RAM frames and CPU state blocks all live in one memory so that the
 * wasm backend can address them directly. Frames are 4 KiB; frame 0 is the
 * shared zero page (never written) that backs untouched anonymous memory.
 * Frames are reference counted so that fork can share them copy-on-write.
 *
 * Growing the memory detaches the old ArrayBuffer: holders of views register
 * with `onGrow` and rebuild them.
 */
import { PAGE_SHIFT, PAGE_SIZE } from './types.js'

const WASM_PAGE = 65536
/** wasm32 limit: 4 GiB of linear memory, i.e. 2^20 frames of 4 KiB. */
const MAX_WASM_PAGES = 65536
const MAX_FRAMES = (MAX_WASM_PAGES * WASM_PAGE) / PAGE_SIZE

export class Arena {
  readonly memory: WebAssembly.Memory
  u8!: Uint8Array
  dv!: DataView
  /** Reference count per frame; the zero frame is pinned. */
  private readonly refs = new Uint32Array(MAX_FRAMES)
  private readonly freeFrames: number[] = []
  private nextFrame = 1
  private readonly growListeners = new Set<() => void>()

  constructor(initialBytes = 16 << 20) {
    this.memory = new WebAssembly.Memory({
      initial: Math.ceil(initialBytes / WASM_PAGE),
      maximum: MAX_WASM_PAGES,
    })
    this.refs[0] = 0x7fffffff
    this.nextFrame = 1
    this.refresh()
  }

  private refresh(): void {
    this.u8 = new Uint8Array(this.memory.buffer)
    this.dv = new DataView(this.memory.buffer)
  }

  /** Call `fn` after every growth of the memory (views must be rebuilt); returns the unsubscribe function. */
  onGrow(fn: () => void): () => void {
    this.growListeners.add(fn)
    return () => this.growListeners.delete(fn)
  }

  private ensureFrames(count: number): void {
    const needBytes = count * PAGE_SIZE
    const have = this.memory.buffer.byteLength
    if (needBytes <= have) return
    const havePages = have / WASM_PAGE
    // Grow geometrically (bounded) so that growth, which invalidates views, stays rare.
    const want = Math.min(
      MAX_WASM_PAGES,
      Math.max(Math.ceil(needBytes / WASM_PAGE), havePages + Math.min(havePages, 4096)),
    )
    if (want * WASM_PAGE < needBytes) throw new RangeError('guest memory exhausted (4 GiB engine limit)')
    this.memory.grow(want - havePages)
    this.refresh()
    for (const fn of this.growListeners) fn()
  }

  /** Allocate one zero-filled frame with reference count 1; returns its index. */
  allocFrame(): number {
    let f = this.freeFrames.pop()
    if (f === undefined) {
      f = this.nextFrame++
      this.ensureFrames(this.nextFrame)
    } else {
      this.u8.fill(0, f << PAGE_SHIFT, (f + 1) << PAGE_SHIFT)
    }
    this.refs[f] = 1
    return f
  }

  /** Allocate `count` contiguous zeroed frames (never recycled); returns the byte offset. */
  allocContiguous(bytes: number): number {
    const count = Math.ceil(bytes / PAGE_SIZE)
    const first = this.nextFrame
    this.nextFrame += count
    this.ensureFrames(this.nextFrame)
    for (let i = 0; i < count; i++) this.refs[first + i] = 0x7fffffff
    return first << PAGE_SHIFT
  }

  retain(frame: number): void {
    if (frame !== 0) this.refs[frame]!++
  }

  release(frame: number): void {
    if (frame === 0) return
    if (--this.refs[frame]! === 0) this.freeFrames.push(frame)
  }

  refCount(frame: number): number {
    return this.refs[frame]!
  }

  /** Frames in use, for statistics. */
  get framesInUse(): number {
    return this.nextFrame - 1 - this.freeFrames.length
  }
}
