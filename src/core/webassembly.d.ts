/**
 * The WebAssembly JavaScript API (the part the engine uses), declared here
 * because TypeScript only ships it inside the DOM library, and the core
 * layers compile without DOM or Node types. Shapes follow the WebAssembly
 * JS API specification.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number
    maximum?: number
    shared?: boolean
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor)
    readonly buffer: ArrayBuffer
    grow(delta: number): number
  }
  type ImportValue = ((...args: never[]) => unknown) | Memory | Table | Global | number | bigint
  type Imports = Record<string, Record<string, ImportValue>>
  class Module {
    constructor(bytes: BufferSource)
  }
  class Instance {
    constructor(module: Module, imports?: Imports)
    readonly exports: Record<string, unknown>
  }
  interface TableDescriptor {
    element: 'anyfunc' | 'externref'
    initial: number
    maximum?: number
  }
  class Table {
    constructor(descriptor: TableDescriptor)
    readonly length: number
    get(index: number): unknown
    set(index: number, value: unknown): void
    grow(delta: number): number
  }
  interface GlobalDescriptor {
    value: 'i32' | 'i64' | 'f32' | 'f64'
    mutable?: boolean
  }
  class Global {
    constructor(descriptor: GlobalDescriptor, value?: number | bigint)
    value: number | bigint
  }
  function validate(bytes: BufferSource): boolean
}
type BufferSource = ArrayBufferView | ArrayBuffer
